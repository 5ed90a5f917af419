import Foundation

/// How one agent consumes its stream: limits from the registry plus runtime knobs.
public struct RunnerConfiguration: Sendable {
    public var agent: String
    /// The full stream key (`sb:in:<agent>`).
    public var stream: String
    /// The consumer group, the agent's name.
    public var group: String
    /// This replica's consumer name; its own pending entries are drained first on start.
    public var consumer: String
    public var concurrency: Int
    public var timeout: Duration
    public var visibilityTimeout: Duration
    public var maxAttempts: Int
    public var backoff: ClosedRange<Duration>
    /// Most entries fetched by one XREADGROUP.
    public var batchSize: Int = 256
    /// How long one read blocks; also how quickly a stop request is noticed.
    public var readBlock: Duration = .milliseconds(500)
    public var heartbeatInterval: Duration = .seconds(5)
    /// Time in-flight handlers get to finish on shutdown before they are interrupted and left pending.
    public var shutdownGrace: Duration = .seconds(25)
    /// How often the watchdog checks time limits, and the maintenance child whether a heartbeat or a trim is due.
    public var watchdogInterval: Duration = .milliseconds(100)
    /// Handled requests older than this are trimmed from the stream (`SB_STREAM_RETENTION`); nil keeps them.
    public var retention: Duration? = .seconds(86_400)
    /// How often the trim (and the removal of consumers that are gone) runs.
    public var trimInterval: Duration = .seconds(60)
    /// A consumer with nothing pending and idle this long belongs to a replica that is gone; it is removed from the group.
    public var consumerExpiry: Duration = .seconds(86_400)

    public init(agent: String, stream: String, consumer: String, concurrency: Int = 4, timeout: Duration = .seconds(300), visibilityTimeout: Duration = .seconds(600), maxAttempts: Int = 3, backoff: ClosedRange<Duration> = .seconds(1)...(.seconds(60))) {
        self.agent = agent
        self.stream = stream
        self.group = agent
        self.consumer = consumer
        self.concurrency = concurrency
        self.timeout = timeout
        self.visibilityTimeout = visibilityTimeout
        self.maxAttempts = maxAttempts
        self.backoff = backoff
    }

    /// The limits of a registry entry; `consumer` defaults to `SB_CONSUMER`, else `<host>-<pid>`.
    public init(entry: AgentEntry, keys: KeySpace, consumer: String? = nil) {
        self.init(
            agent: entry.name, stream: keys.stream(relative: entry.stream),
            consumer: consumer ?? InstanceIdentity.current.defaultConsumer,
            concurrency: entry.concurrency, timeout: entry.timeout, visibilityTimeout: entry.visibilityTimeout,
            maxAttempts: entry.maxAttempts, backoff: entry.backoffInitial...max(entry.backoffInitial, entry.backoffMax)
        )
    }

    /// Exponential backoff with full jitter for the given attempt (1-based).
    func backoffDelay(afterAttempt attempt: Int) -> Duration {
        let base = Double(backoff.lowerBound.milliseconds) * pow(2, Double(max(0, attempt - 1)))
        let capped = min(base, Double(backoff.upperBound.milliseconds))
        return .milliseconds(Int(Double.random(in: (capped / 2)...max(capped / 2, capped))))
    }
}

/// Who this process is, for heartbeats and consumer names.
public struct InstanceIdentity: Sendable {
    public var host: String
    public var pid: Int
    public var started: String
    public var version: String

    public static let current = InstanceIdentity(
        host: ProcessInfo.processInfo.hostName, pid: Int(ProcessInfo.processInfo.processIdentifier),
        started: ISO8601.now(), version: SwitchboardVersion.current
    )

    /// `SB_CONSUMER` if set, else `<host>-<pid>` (stable across container restarts, where the pid is 1).
    public var defaultConsumer: String {
        ProcessInfo.processInfo.environment["SB_CONSUMER"].nonEmpty ?? "\(host)-\(pid)"
    }
}

/// The version reported in heartbeats and `--version`.
public enum SwitchboardVersion {
    public static let current = "0.1.0"
}
