import AgentBase
import Foundation
import Hummingbird

/// Requires `Authorization: Bearer <token>` matching one of `GATEWAY_API_TOKENS` (compared in constant time), and sets
/// the client's name and role (the token's own, unless access.yaml names `api:<name>`; a token without either is admin).
struct BearerAuthMiddleware: RouterMiddleware {
    let tokens: [(name: String, token: [UInt8])]
    let roles: [String: Role]
    let access: AccessPolicy

    init(tokens: [String: String], roles: [String: Role] = [:], access: AccessPolicy = AccessPolicy()) {
        self.tokens = tokens.sorted { $0.key < $1.key }.map { ($0.key, Array($0.value.utf8)) }
        self.roles = roles
        self.access = access
    }

    func handle(_ request: Request, context: GatewayRequestContext, next: (Request, GatewayRequestContext) async throws -> Response) async throws -> Response {
        guard !tokens.isEmpty else {
            throw APIError(.unauthorized, "unauthorized", "the REST API is closed: no tokens are configured (set GATEWAY_API_TOKENS=name:token)")
        }
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else {
            throw APIError(.unauthorized, "unauthorized", "send Authorization: Bearer <token>")
        }
        let presented = Array(header.dropFirst("bearer ".count).trimmingCharacters(in: .whitespaces).utf8)
        var matched: String?
        for candidate in tokens where ConstantTime.equal(presented, candidate.token) {
            matched = candidate.name
        }
        guard let client = matched else {
            throw APIError(.unauthorized, "unauthorized", "the bearer token is not valid")
        }
        guard let role = access.role(of: "api:\(client)", passedGate: true, channelRole: roles[client] ?? .admin) else {
            throw APIError(.forbidden, "forbidden", "access.yaml refuses api:\(client)")
        }
        var context = context
        context.client = client
        context.role = role
        return try await next(request, context)
    }
}
