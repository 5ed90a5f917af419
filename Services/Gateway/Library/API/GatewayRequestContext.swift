import AgentBase
import Hummingbird

/// Request context of the gateway: which API client (token name) made the request, and its role.
public struct GatewayRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The token's name from `GATEWAY_API_TOKENS`, set by `BearerAuthMiddleware`.
    public var client: String?
    /// The client's role (the token's, or access.yaml's for `api:<name>`), set by `BearerAuthMiddleware`.
    public var role: Role?

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.client = nil
        self.role = nil
    }

    /// The client as the trust model names it (`api:<token name>`).
    public var identity: String { "api:\(client ?? "anonymous")" }

    /// The client as a requester; the middleware guarantees a role on every `/v1` route.
    var requester: Requester { Requester(identity: identity, role: role ?? .viewer) }

    /// Throws 403 unless the client's role holds `permission`.
    func require(_ permission: Permission) throws {
        guard let role, role.allows(permission) else {
            throw APIError(.forbidden, "forbidden", "this needs \(permission.rawValue) permission; the token '\(client ?? "?")' is \(role?.withArticle ?? "a client without a role")")
        }
    }
}
