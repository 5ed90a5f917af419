/// The bus every service stands on: streams with consumer groups, task state and events.
/// `RedisStreamBroker` is the implementation; the runner, agentctl and the gateway use only this.
public protocol MessageBroker: Sendable {
    /// The key names in use.
    var keys: KeySpace { get }

    /// Appends a raw entry (XADD) and returns its id.
    func publish(_ envelope: Envelope, to stream: String) async throws -> String
    /// Appends many raw entries in one round trip; returns their ids in order.
    func publish(_ envelopes: [Envelope], to stream: String) async throws -> [String]
    /// Publishes a request for an agent and records the task QUEUED with a `task.queued` event;
    /// if the task id already exists nothing is published and its status is returned.
    func submit(_ envelope: Envelope, task: String, agent: String, stream: String) async throws -> Submission

    /// Claims `key` for `task` (SET NX with the task TTL); returns the task that holds it already, or nil.
    func claimIdempotencyKey(_ key: String, task: String) async throws -> String?
    /// Frees a key claimed for `task` when that task was not submitted after all (only while the key names it).
    func releaseIdempotencyKey(_ key: String, task: String) async

    /// Creates the consumer group (with the stream) unless it exists, reading from `startingAt`
    /// (`0`: the whole stream, `$`: only what comes next).
    func ensureGroup(stream: String, group: String, startingAt: String) async throws
    /// Reads for a consumer: new entries (`history == false`) or its own pending ones after `after`.
    func read(stream: String, group: String, consumer: String, count: Int, block: Duration, history: Bool, after: String) async throws -> Fetched
    /// Takes over entries idle longer than `minIdle` (XAUTOCLAIM); returns them and the next cursor (`0-0` when done).
    func reclaim(stream: String, group: String, consumer: String, minIdle: Duration, count: Int, cursor: String) async throws -> (Fetched, String)
    /// Resets the idle time of entries this consumer is still working on, so nobody reclaims them.
    func extendLeases(stream: String, group: String, consumer: String, ids: [String]) async throws
    /// Removes entries every consumer of the group is done with (acked, delivered) and older than `retention`;
    /// returns how many were removed.
    func trimProcessed(stream: String, group: String, retention: Duration) async throws -> Int
    /// Deletes consumers of the group that hold no pending entries and have been idle longer than `idle`
    /// (replicas that are gone); returns their names.
    func removeIdleConsumers(stream: String, group: String, idle: Duration, keeping: String) async throws -> [String]
    /// Acknowledges entries.
    func ack(stream: String, group: String, ids: [String]) async throws

    /// Moves delivered tasks to RUNNING (one atomic step for the batch) and says what to do with each.
    func begin(_ starts: [TaskStart], stream: String, group: String, maxAttempts: Int, instance: String) async throws -> [StartVerdict]
    /// Records the outcome of each task with its event, dead letter and XACK, atomically per task.
    func finish(_ outcomes: [TaskOutcome]) async throws
    /// Publishes `task.progress` for a running task.
    func progress(task: String, message: String, percent: Double?) async throws
    /// Counts another attempt of a running task after a retryable error; returns the attempt number.
    func recordRetry(task: String, error: String, message: String) async throws -> Int
    /// Adds token usage and cost to the task hash.
    func recordUsage(task: String, usage: Usage) async throws
    /// Adds one model call's usage to the task hash and to each ledger hash (`sb:usage:…`: `tokens_in`,
    /// `tokens_out`, `cost_usd`, `calls`) in one round trip.
    func recordUsage(task: String, usage: Usage, totals: [String]) async throws
    /// A ledger hash read back; all zero when it does not exist.
    func usageTotals(_ key: String) async throws -> UsageTotals
    /// Asks for a task to be cancelled.
    func requestCancel(task: String) async throws -> CancelRequest
    /// Which of these tasks have a cancel request.
    func cancelRequested(tasks: [String]) async throws -> Set<String>

    /// Writes this instance's heartbeat into `sb:live:<agent>`, expiring after `ttl`.
    func heartbeat(_ beat: Heartbeat, ttl: Duration) async throws
    /// Removes this instance's heartbeat (clean shutdown).
    func removeHeartbeat(agent: String, instance: String) async throws
    /// Live instances of an agent (stale heartbeats left out).
    func liveInstances(agent: String) async throws -> [Heartbeat]

    /// The task hash, or nil if unknown (or expired).
    func task(_ id: String) async throws -> TaskSnapshot?
    /// Events after an id (`$` for only new ones), waiting up to `block` for some.
    func events(stream: String, after: String, count: Int, block: Duration?) async throws -> [TaskEvent]
    /// The id of the newest event, `0-0` if none; follow from it to see everything that comes next.
    func lastEventID(stream: String) async throws -> String
    /// Entries of a dead-letter stream, oldest first.
    func deadLetters(agent: String, count: Int) async throws -> [StreamEntry]
    /// Publishes a dead letter's original request again (as a new task) and removes it from the DLQ.
    func replayDeadLetter(agent: String, id: String, stream: String) async throws -> String

    /// Stores a small value (JSON text) under a key for a while: agents' memory between tasks.
    func setValue(_ value: String, forKey key: String, ttl: Duration) async throws
    /// The value stored under a key, if it has not expired.
    func value(forKey key: String) async throws -> String?
}

extension MessageBroker {
    /// Creates the consumer group reading the whole stream (an agent's inbox) unless it exists.
    public func ensureGroup(stream: String, group: String) async throws {
        try await ensureGroup(stream: stream, group: group, startingAt: "0")
    }
}
