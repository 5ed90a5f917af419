import AgentBase

/// The admin API token of a gateway started without `GATEWAY_API_TOKENS`: made on the first start and kept in Redis
/// (`sb:gateway:first-run-token`, no expiry), so every replica and every restart uses the same one. Deleting the key
/// makes a new one on the next start.
struct FirstRunToken: Sendable {
    /// The client name the token has (`api:admin`).
    static let client = "admin"

    let redis: RedisConnection
    let keys: KeySpace

    /// The stored token, made now when there is none; replicas starting together agree (`SET NX`, then `GET`).
    func ensure() async throws -> String {
        _ = try await redis.send(["SET", keys.firstRunToken, Self.generate(), "NX"])
        guard let token = try await redis.send(["GET", keys.firstRunToken]).string, !token.isEmpty else {
            throw ConfigurationError(variable: "GATEWAY_API_TOKENS", message: "the first-run token at \(keys.firstRunToken) could not be kept in Redis")
        }
        return token
    }

    /// `sbt_` and 32 random bytes in base64url (the redactor knows the shape).
    static func generate() -> String {
        "sbt_" + RandomText.base64url()
    }
}
