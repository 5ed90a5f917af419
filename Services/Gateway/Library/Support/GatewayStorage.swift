import AgentBase

/// What the gateway's stores keep their keys with: the bus's command connection, the key prefix, and how long
/// per-task state lives (as long as the task).
public struct GatewayStorage: Sendable {
    public let redis: RedisConnection
    public let keys: KeySpace
    public let ttl: Duration

    public init(bus: RedisBus) {
        self.redis = bus.redis
        self.keys = bus.keys
        self.ttl = bus.taskTTL
    }
}
