import AgentBase
import Hummingbird

/// Finds the viewer of a page request from its session cookie: the session's client must still have a token, and
/// access.yaml may give `web:<name>` a role of its own.
struct WebAuthenticator: Sendable {
    let tokens: TokenTable
    let roles: [String: Role]
    let access: AccessPolicy
    let sessions: WebSessions

    func viewer(of request: Request) async throws -> Viewer? {
        guard let id = WebSessions.id(in: request.headers[.cookie]), let client = try await sessions.client(of: id), tokens.contains(client: client),
              let role = access.role(of: GatewayRequestContext.identity(client: client, browser: true), passedGate: true, channelRole: roles[client] ?? .admin)
        else { return nil }
        return Viewer(client: client, session: id, role: role)
    }
}
