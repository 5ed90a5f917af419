import AgentBase
import Hummingbird

/// Request context of the gateway: which API client (token name) made the request, how, and its role.
public struct GatewayRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The token's name from `GATEWAY_API_TOKENS`, set by `BearerAuthMiddleware`.
    public var client: String?
    /// The client's role (the token's, or access.yaml's for its identity), set by `BearerAuthMiddleware`.
    public var role: Role?
    /// The browser session the request came with (the dashboard), nil for a bearer token.
    public var session: String?

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.client = nil
        self.role = nil
        self.session = nil
    }

    /// The client as the trust model names it: `web:<token name>` through a browser session of `/login`,
    /// `api:<token name>` with a bearer token.
    public var identity: String { Self.identity(client: client ?? "anonymous", browser: session != nil) }

    /// `web:<name>` for a browser session, `api:<name>` for a bearer token.
    static func identity(client: String, browser: Bool) -> String {
        "\(browser ? "web" : "api"):\(client)"
    }

    /// The client as a requester; the middleware guarantees a role on every `/v1` route.
    var requester: Requester { Requester(identity: identity, role: role ?? .viewer) }

    /// Throws 403 unless the client's role holds `permission`.
    func require(_ permission: Permission) throws {
        guard let role, role.allows(permission) else {
            throw APIError(.forbidden, "forbidden", "this needs \(permission.rawValue) permission; \(identity) is \(role?.withArticle ?? "a client without a role")")
        }
    }
}
