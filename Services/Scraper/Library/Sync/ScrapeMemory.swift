import AgentBase
import Crypto
import Foundation

/// The last scrape of a URL per conversation, at `<prefix>:scrape:<conversation>:<sha256(url) prefix>`, so a second
/// `/sync-todos` of the same page can say what changed.
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

    func previous(conversation: String, url: String, broker: any MessageBroker) async throws -> Snapshot? {
        guard let text = try await broker.value(forKey: key(conversation: conversation, url: url)) else { return nil }
        return try? JSONDecoder().decode(Snapshot.self, from: Data(text.utf8))
    }

    func remember(_ snapshot: Snapshot, conversation: String, broker: any MessageBroker) async throws {
        let text = String(decoding: try JSONEncoder().encode(snapshot), as: UTF8.self)
        try await broker.setValue(text, forKey: key(conversation: conversation, url: snapshot.url), ttl: ttl)
    }
}
