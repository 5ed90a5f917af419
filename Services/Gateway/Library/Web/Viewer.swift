import AgentBase

/// The person a dashboard page is for: the client whose token opened the browser session, as `web:<name>`, with its
/// role and the session's CSRF token.
struct Viewer: Sendable {
    var client: String
    var session: String
    var role: Role

    var identity: String { GatewayRequestContext.identity(client: client, browser: true) }
    var csrf: String { SameOrigin.token(session: session) }
    var requester: Requester { Requester(identity: identity, role: role) }

    func may(_ permission: Permission) -> Bool { role.allows(permission) }
}
