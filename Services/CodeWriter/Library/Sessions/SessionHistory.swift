import AgentBase
import Foundation

/// The turns of each coding session as code-writer remembers them for the next turn's prompt
/// (`sb:turns:<conversation>`: a list, oldest first, of JSON `{task, text, reply, commit?, provider_session?}`, the
/// last 50 kept),
/// expiring `SESSION_IDLE_TTL` after the last turn.
public struct SessionHistory: Sendable {
    let redis: RedisConnection
    let keys: KeySpace
    let ttl: Duration
    static let kept = 50

    public init(redis: RedisConnection, keys: KeySpace, ttl: Duration) {
        self.redis = redis
        self.keys = keys
        self.ttl = ttl
    }

    /// One turn: what was asked, what was answered, the commit it made, and the provider's own session it ran in
    /// (claude-cli's, resumed by the next turn).
    struct Turn: Codable, Sendable, Hashable {
        var task: String
        var text: String
        var reply: String
        var commit: String?
        var providerSession: String?

        enum CodingKeys: String, CodingKey {
            case task, text, reply, commit
            case providerSession = "provider_session"
        }
    }

    /// The session's turns, oldest first.
    func turns(_ conversation: String) async throws -> [Turn] {
        let reply = try await redis.send(["LRANGE", keys.sessionTurns(conversation), "0", "-1"])
        return (reply.array ?? []).compactMap { $0.string.flatMap { try? JSONDecoder().decode(Turn.self, from: Data($0.utf8)) } }
    }

    /// Adds `turn` unless `earlier` holds a turn of its task already (a redelivered task).
    func record(_ turn: Turn, in conversation: String, after earlier: [Turn]) async throws {
        guard !earlier.contains(where: { $0.task == turn.task }) else { return }
        let key = keys.sessionTurns(conversation)
        let entry = String(decoding: try JSONEncoder().encode(turn), as: UTF8.self)
        for reply in try await redis.pipeline([["RPUSH", key, entry], ["LTRIM", key, String(-Self.kept), "-1"], ["PEXPIRE", key, String(ttl.milliseconds)]]) {
            _ = try reply.orThrow()
        }
    }
}

extension KeySpace {
    /// `sb:turns:<conversation>`: code-writer's memory of a coding session's turns.
    public func sessionTurns(_ conversation: String) -> String { "\(prefix):turns:\(conversation)" }
}
