/// Reading a stream as a consumer group, at least once: create the group, read, take over idle entries, keep leases,
/// acknowledge, and clean up after the group (trim what everyone is done with, forget consumers that are gone).
public protocol ConsumerGroups: Sendable {
    /// Creates the consumer group (with the stream) unless it exists, reading from `startingAt`
    /// (`0`: the whole stream, `$`: only what comes next).
    func ensureGroup(stream: String, group: String, startingAt: String) async throws
    /// Reads for a consumer: new entries (`history == false`) or its own pending ones after `after`.
    func read(stream: String, group: String, consumer: String, count: Int, block: Duration, history: Bool, after: String) async throws -> Fetched
    /// Takes over entries idle longer than `minIdle` (XAUTOCLAIM); returns them and the next cursor (`0-0` when done).
    func reclaim(stream: String, group: String, consumer: String, minIdle: Duration, count: Int, cursor: String) async throws -> (Fetched, String)
    /// Resets the idle time of entries this consumer is still working on, so nobody reclaims them.
    func extendLeases(stream: String, group: String, consumer: String, ids: [String]) async throws
    /// Acknowledges entries.
    func ack(stream: String, group: String, ids: [String]) async throws
    /// Removes entries every consumer of the group is done with (acked, delivered) and older than `retention`;
    /// returns how many were removed.
    func trimProcessed(stream: String, group: String, retention: Duration) async throws -> Int
    /// Deletes consumers of the group that hold no pending entries and have been idle longer than `idle`
    /// (replicas that are gone); returns their names.
    func removeIdleConsumers(stream: String, group: String, idle: Duration, keeping: String) async throws -> [String]
}

extension ConsumerGroups {
    /// Creates the consumer group reading the whole stream (an agent's inbox) unless it exists.
    public func ensureGroup(stream: String, group: String) async throws {
        try await ensureGroup(stream: stream, group: group, startingAt: "0")
    }
}
