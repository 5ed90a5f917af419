import Hummingbird

/// Requires `Authorization: Bearer <token>` matching one of `GATEWAY_API_TOKENS` (compared in constant time).
struct BearerAuthMiddleware: RouterMiddleware {
    let tokens: [(name: String, token: [UInt8])]

    init(tokens: [String: String]) {
        self.tokens = tokens.sorted { $0.key < $1.key }.map { ($0.key, Array($0.value.utf8)) }
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
        var context = context
        context.client = client
        return try await next(request, context)
    }
}
