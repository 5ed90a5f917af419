import Foundation

/// `Liveness` on Redis: one hash per agent (instance → heartbeat JSON) that expires when every instance stops beating.
public struct RedisLiveness: Liveness {
    let redis: RedisConnection
    let keys: KeySpace

    public func heartbeat(_ beat: Heartbeat, ttl: Duration) async throws {
        let key = keys.live(beat.agent)
        let replies = try await redis.pipeline([
            ["HSET", key, beat.instance, try JSONCoding.string(beat)],
            ["PEXPIRE", key, String(ttl.milliseconds)],
            ["HGETALL", key],
        ])
        let stale = Self.heartbeats(replies[2]).filter { $0.seenAt + $0.ttlMs < beat.seenAt }.map(\.instance)
        if !stale.isEmpty { try await redis.send(RedisCommand(["HDEL", key] + stale)) }
    }

    public func removeHeartbeat(agent: String, instance: String) async throws {
        try await redis.send(["HDEL", keys.live(agent), instance])
    }

    public func liveInstances(agent: String) async throws -> [Heartbeat] {
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        return Self.heartbeats(try await redis.send(["HGETALL", keys.live(agent)]))
            .filter { $0.seenAt + $0.ttlMs >= now }
            .sorted { $0.instance < $1.instance }
    }

    private static func heartbeats(_ reply: RedisReply) -> [Heartbeat] {
        (reply.fieldPairs ?? []).compactMap { try? JSONDecoder().decode(Heartbeat.self, from: Data($0.1.utf8)) }
    }
}
