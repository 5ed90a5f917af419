import AgentBase
import Crypto
import Foundation

/// Browser sessions made by `/login`: a random id in an HttpOnly cookie, and in Redis only its SHA-256
/// (`sb:web:session:<hex>` → the client name, expiring after `lifetime`), so a copy of Redis opens no session.
struct WebSessions: Sendable {
    /// The cookie that carries the session id.
    static let cookie = "sb_session"
    /// How long a session lasts.
    static let lifetime: Duration = .seconds(12 * 3600)

    let redis: RedisConnection
    let keys: KeySpace

    /// A new session of `client`; returns its id.
    func create(client: String) async throws -> String {
        let id = RandomText.base64url()
        _ = try await redis.send(["SET", key(id), client, "EX", String(Self.lifetime.components.seconds)])
        return id
    }

    /// The client of a live session.
    func client(of id: String) async throws -> String? {
        try await redis.send(["GET", key(id)]).string
    }

    func delete(_ id: String) async throws {
        _ = try await redis.send(["DEL", key(id)])
    }

    /// The session id in a request's `Cookie` header, if any.
    static func id(in cookieHeader: String?) -> String? {
        cookieHeader?.split(separator: ";").lazy
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .first { $0.hasPrefix("\(cookie)=") }
            .map { String($0.dropFirst(cookie.count + 1)) }
            .flatMap { $0.isEmpty ? nil : $0 }
    }

    private func key(_ id: String) -> String {
        keys.webSession(SHA256.hash(data: Data(id.utf8)).map { String(format: "%02x", $0) }.joined())
    }
}
