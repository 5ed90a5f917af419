import Logging

/// The bus on one Redis, built in one place: the connections its parts share and each part behind its own protocol.
///
/// One auto-pipelined connection carries commands (services keep their own keys through it too, as `redis`), two
/// run the task scripts (one batch's script runs in Redis while the next is being prepared), and consumer-group
/// reads and event reads each block on a connection of their own, so a waiting read never holds up acks, state
/// writes or the other kind of read. Connections open on first use.
public struct RedisBus: Sendable {
    public let keys: KeySpace
    /// The shared command connection.
    public let redis: RedisConnection
    public let queue: RedisTaskQueue
    public let groups: RedisConsumerGroups
    public let tasks: RedisTaskStore
    public let events: RedisEventStream
    public let liveness: RedisLiveness
    public let deadLetters: RedisDeadLetterQueue
    /// Files kept for a while (`sb:file:<id>`): sent with turns, handed back with results.
    public let files: RedisFileStore
    private let connections: [RedisConnection]

    /// - Parameters:
    ///   - taskTTL: how long task hashes and idempotency keys live (default 7 days).
    ///   - eventsMaxLength: approximate MAXLEN of `sb:events` and `reply_to` streams.
    ///   - deadLetterMaxLength: approximate MAXLEN of each dead-letter stream.
    public init(configuration: RedisConfiguration, keys: KeySpace = KeySpace(), taskTTL: Duration = .seconds(7 * 24 * 3600), eventsMaxLength: Int = 1_000_000, deadLetterMaxLength: Int = 100_000, logger: Logger = Logger(label: "switchboard.bus")) {
        let blockingTimeout = configuration.commandTimeout + .seconds(30)
        let redis = RedisConnection(configuration: configuration, name: "commands", logger: logger)
        let groupReads = RedisConnection(configuration: configuration, name: "group-reads", commandTimeout: blockingTimeout, logger: logger)
        let eventReads = RedisConnection(configuration: configuration, name: "event-reads", commandTimeout: blockingTimeout, logger: logger)
        let scriptConnections = (1...2).map { RedisConnection(configuration: configuration, name: "scripts-\($0)", logger: logger) }
        let scripts = ScriptCache(connections: scriptConnections)
        let context = ScriptContext(keys: keys, taskTTL: taskTTL, eventsMaxLength: eventsMaxLength)
        self.keys = keys
        self.redis = redis
        self.queue = RedisTaskQueue(redis: redis, scripts: scripts, context: context)
        self.groups = RedisConsumerGroups(redis: redis, blocking: groupReads)
        self.tasks = RedisTaskStore(redis: redis, scripts: scripts, context: context, deadLetterMaxLength: deadLetterMaxLength)
        self.events = RedisEventStream(redis: redis, blocking: eventReads)
        self.liveness = RedisLiveness(redis: redis, keys: keys)
        self.deadLetters = RedisDeadLetterQueue(redis: redis, keys: keys)
        self.files = RedisFileStore(redis: redis, keys: keys)
        self.connections = [redis, groupReads, eventReads] + scriptConnections
    }

    /// The bus the environment describes (`REDIS_URL`, `SB_PREFIX`, `SB_TASK_TTL`, `SB_EVENTS_MAXLEN`); `connectTimeout`
    /// overrides the default (a command-line tool gives up sooner than a service).
    public init(environment: SwitchboardEnvironment, connectTimeout: Duration? = nil, logger: Logger = Logger(label: "switchboard.bus")) throws {
        var configuration = try environment.redisConfiguration()
        if let connectTimeout { configuration.connectTimeout = connectTimeout }
        self.init(configuration: configuration, keys: environment.keys, taskTTL: environment.taskTTL, eventsMaxLength: environment.eventsMaxLength, logger: logger)
    }

    /// How long task hashes (and what services keep per task beside them) live.
    public var taskTTL: Duration { tasks.context.taskTTL }
    /// Approximate MAXLEN of `sb:events`.
    public var eventsMaxLength: Int { tasks.context.eventsMaxLength }

    /// What an agent's runner and handlers use.
    public var agent: AgentBus {
        AgentBus(keys: keys, groups: groups, tasks: tasks, liveness: liveness, redis: redis)
    }

    /// Closes every connection; later commands throw `RedisError.closed`.
    public func close() {
        for connection in connections { connection.close() }
    }
}
