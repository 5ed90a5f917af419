import AgentBase

/// Once-only markers of the chat fronts (`sb:<channel>:<kind>:<id>`): an update, event or delivery its sender
/// repeats is handled once.
public struct SeenMarkers: Sendable {
    let storage: GatewayStorage

    public init(storage: GatewayStorage) {
        self.storage = storage
    }

    /// Marks `id` seen; false when it had been seen already.
    func claim(_ channel: String, _ kind: String, _ id: String) async throws -> Bool {
        try await !storage.redis.send(["SET", storage.keys.seen(channel, kind, id), "seen", "NX", "PX", String(storage.ttl.milliseconds)]).isNull
    }

    /// Forgets a mark, so a retry of the same id is handled (the first try failed before anything was published).
    func release(_ channel: String, _ kind: String, _ id: String) async {
        _ = try? await storage.redis.send(["DEL", storage.keys.seen(channel, kind, id)])
    }
}
