import AgentBase
import Crypto
import Foundation

/// The last scrape of a URL per conversation, at `<prefix>:scrape:<conversation>:<sha256(url) prefix>` in the bus's
/// Redis (the agent's connection, `TaskContext.bus.redis`), so a second `/sync-todos` of the same page can say what changed.
struct ScrapeMemory: Sendable {
    let keys: KeySpace
    let ttl: Duration

    /// What is remembered of one scrape.
    struct Snapshot: Codable, Sendable {
        var url: String
        var fetchedAt: String
        var items: [TodoItem]

        enum CodingKeys: String, CodingKey {
            case url
            case fetchedAt = "fetched_at"
            case items
        }
    }

    func key(conversation: String, url: String) -> String {
        let digest = SHA256.hash(data: Data(url.utf8)).prefix(12).map { String(format: "%02x", $0) }.joined()
        return keys.scrape(conversation: conversation, digest: digest)
    }

    func previous(conversation: String, url: String, redis: RedisConnection) async throws -> Snapshot? {
        guard let text = try await redis.send(["GET", key(conversation: conversation, url: url)]).string else { return nil }
        return try? JSONDecoder().decode(Snapshot.self, from: Data(text.utf8))
    }

    func remember(_ snapshot: Snapshot, conversation: String, redis: RedisConnection) async throws {
        let text = String(decoding: try JSONEncoder().encode(snapshot), as: UTF8.self)
        try await redis.send(["SET", key(conversation: conversation, url: snapshot.url), text, "PX", String(max(1, ttl.milliseconds))])
    }
}

extension KeySpace {
    /// `sb:scrape:<conversation>:<url digest>`: the scraper's last scrape of a URL in a conversation (for change reports).
    func scrape(conversation: String, digest: String) -> String { "\(prefix):scrape:\(conversation):\(digest)" }
}
