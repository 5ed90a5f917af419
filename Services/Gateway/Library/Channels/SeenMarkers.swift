import AgentBase

/// Once-only markers of the chat fronts (`sb:<channel>:<kind>:<id>`): an update, event or delivery its sender
/// repeats is handled once.
public struct SeenMarkers: Sendable {
    let redis: RedisConnection
    let keys: KeySpace
    /// How long a mark is kept.
    let ttl: Duration

    public init(redis: RedisConnection, keys: KeySpace, ttl: Duration) {
        self.redis = redis
        self.keys = keys
        self.ttl = ttl
    }

    /// Marks `id` seen; false when it had been seen already.
    func claim(_ channel: String, _ kind: String, _ id: String) async throws -> Bool {
        try await !redis.send(["SET", keys.seen(channel, kind, id), "seen", "NX", "PX", String(ttl.milliseconds)]).isNull
    }

    /// Forgets a mark, so a retry of the same id is handled (the first try failed before anything was published).
    func release(_ channel: String, _ kind: String, _ id: String) async {
        _ = try? await redis.send(["DEL", keys.seen(channel, kind, id)])
    }
}
