/// What an agent's runner and handlers use of the bus: its inbox's consumer group, task state, heartbeats, and the
/// command connection for an agent's own keys (memory between tasks).
public struct AgentBus: Sendable {
    public let keys: KeySpace
    public let groups: any ConsumerGroups
    public let tasks: any TaskStore
    public let liveness: any Liveness
    public let redis: RedisConnection

    public init(keys: KeySpace, groups: any ConsumerGroups, tasks: any TaskStore, liveness: any Liveness, redis: RedisConnection) {
        self.keys = keys
        self.groups = groups
        self.tasks = tasks
        self.liveness = liveness
        self.redis = redis
    }
}
