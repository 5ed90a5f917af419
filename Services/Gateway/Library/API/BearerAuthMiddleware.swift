import AgentBase
import Foundation
import Hummingbird

/// Requires `Authorization: Bearer <token>` matching one of `GATEWAY_API_TOKENS` (compared in constant time), or the
/// session cookie of `/login` (then a state-changing request must come from this site and carry the session's CSRF
/// token), and sets the client's name, session and role (the token's own, unless access.yaml names its identity,
/// `api:<name>` or `web:<name>`; a token without either is admin).
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
        let (client, session) = try await authenticatedClient(request)
        let identity = GatewayRequestContext.identity(client: client, browser: session != nil)
        guard let role = access.role(of: identity, passedGate: true, channelRole: roles[client] ?? .admin) else {
            throw APIError(.forbidden, "forbidden", "access.yaml refuses \(identity)")
        }
        var context = context
        context.client = client
        context.session = session
        context.role = role
        return try await next(request, context)
    }

    /// The client's name, and the browser session when it came with one.
    private func authenticatedClient(_ request: Request) async throws -> (client: String, session: String?) {
        if let header = request.headers[.authorization] {
            guard header.lowercased().hasPrefix("bearer ") else {
                throw APIError(.unauthorized, "unauthorized", "send Authorization: Bearer <token>")
            }
            guard let client = tokens.client(presenting: header.dropFirst("bearer ".count).trimmingCharacters(in: .whitespaces)) else {
                throw APIError(.unauthorized, "unauthorized", "the bearer token is not valid")
            }
            return (client, nil)
        }
        guard let sessions, let id = WebSessions.id(in: request.headers[.cookie]) else {
            throw APIError(.unauthorized, "unauthorized", "send Authorization: Bearer <token>")
        }
        guard let client = try await sessions.client(of: id), tokens.contains(client: client) else {
            throw APIError(.unauthorized, "unauthorized", "the session has ended; log in again at /login")
        }
        if ![.get, .head, .options].contains(request.method) { try SameOrigin.require(request, session: id) }
        return (client, id)
    }
}
