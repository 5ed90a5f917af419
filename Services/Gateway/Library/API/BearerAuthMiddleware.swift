import AgentBase
import Foundation
import Hummingbird

/// Requires `Authorization: Bearer <token>` matching one of `GATEWAY_API_TOKENS` (compared in constant time), or the
/// session cookie of `/login` (then a state-changing request must come from this site), and sets the client's name
/// and role (the token's own, unless access.yaml names `api:<name>`; a token without either is admin).
struct BearerAuthMiddleware: RouterMiddleware {
    let tokens: TokenTable
    let roles: [String: Role]
    let access: AccessPolicy
    /// Browser sessions; nil where only bearer tokens are taken.
    let sessions: WebSessions?

    init(tokens: [String: String], roles: [String: Role] = [:], access: AccessPolicy = AccessPolicy(), sessions: WebSessions? = nil) {
        self.tokens = TokenTable(tokens)
        self.roles = roles
        self.access = access
        self.sessions = sessions
    }

    func handle(_ request: Request, context: GatewayRequestContext, next: (Request, GatewayRequestContext) async throws -> Response) async throws -> Response {
        guard !tokens.isEmpty else {
            throw APIError(.unauthorized, "unauthorized", "the REST API is closed: no tokens are configured (set GATEWAY_API_TOKENS=name:token)")
        }
        let client = try await authenticatedClient(request)
        guard let role = access.role(of: "api:\(client)", passedGate: true, channelRole: roles[client] ?? .admin) else {
            throw APIError(.forbidden, "forbidden", "access.yaml refuses api:\(client)")
        }
        var context = context
        context.client = client
        context.role = role
        return try await next(request, context)
    }

    private func authenticatedClient(_ request: Request) async throws -> String {
        if let header = request.headers[.authorization] {
            guard header.lowercased().hasPrefix("bearer ") else {
                throw APIError(.unauthorized, "unauthorized", "send Authorization: Bearer <token>")
            }
            guard let client = tokens.client(presenting: header.dropFirst("bearer ".count).trimmingCharacters(in: .whitespaces)) else {
                throw APIError(.unauthorized, "unauthorized", "the bearer token is not valid")
            }
            return client
        }
        guard let sessions, let id = WebSessions.id(in: request.headers[.cookie]) else {
            throw APIError(.unauthorized, "unauthorized", "send Authorization: Bearer <token>")
        }
        guard let client = try await sessions.client(of: id), tokens.contains(client: client) else {
            throw APIError(.unauthorized, "unauthorized", "the session has ended; log in again at /login")
        }
        if ![.get, .head, .options].contains(request.method) { try SameOrigin.require(request) }
        return client
    }
}
