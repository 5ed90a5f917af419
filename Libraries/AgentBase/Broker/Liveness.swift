/// Which instances of each agent are alive: heartbeats in `sb:live:<agent>`.
public protocol Liveness: Sendable {
    /// Writes this instance's heartbeat into `sb:live:<agent>`, expiring after `ttl`.
    func heartbeat(_ beat: Heartbeat, ttl: Duration) async throws
    /// Removes this instance's heartbeat (clean shutdown).
    func removeHeartbeat(agent: String, instance: String) async throws
    /// Live instances of an agent (stale heartbeats left out).
    func liveInstances(agent: String) async throws -> [Heartbeat]
}
