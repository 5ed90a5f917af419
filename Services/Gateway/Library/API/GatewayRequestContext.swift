import Hummingbird

/// Request context of the gateway: which API client (token name) made the request.
public struct GatewayRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The token's name from `GATEWAY_API_TOKENS`, set by `BearerAuthMiddleware`.
    public var client: String?

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.client = nil
    }
}
