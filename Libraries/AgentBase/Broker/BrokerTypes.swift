/// Result of `submit`: the entry was published, or the task id was taken already.
public enum Submission: Sendable, Hashable {
    case queued(entryID: String)
    case exists(status: TaskStatus?)
}

/// A delivered task about to start.
public struct TaskStart: Sendable, Hashable {
    public var task: String
    public var entryID: String
    public var envelope: Envelope
    public var agent: String
    /// The full key (`sb:idem:<agent>:<key>`), when the message carries an idempotency key.
    public var idempotencyKey: String?

    public init(task: String, entryID: String, envelope: Envelope, agent: String, idempotencyKey: String?) {
        self.task = task
        self.entryID = entryID
        self.envelope = envelope
        self.agent = agent
        self.idempotencyKey = idempotencyKey
    }
}

/// What `begin` decided for one delivered task.
public enum StartVerdict: Sendable, Hashable {
    /// Run the handler; this is attempt `attempt`.
    case run(attempt: Int)
    /// The task had ended already (acked, not run again).
    case done(TaskStatus)
    /// A cancel came before it started (ended CANCELLED, acked).
    case cancelled
    /// Another task with the same idempotency key completed; its result was copied (acked).
    case duplicate(of: String)
    /// Another task with the same idempotency key is still running; leave this one pending.
    case deferred(owner: String)
    /// Attempts used up (by crashes or reclaims); dead-letter it.
    case exhausted(attempts: Int, lastError: String)
    /// Its `reply_to` key holds another type than a stream (`keyType`); nothing was changed: dead-letter it.
    case invalidReplyTo(keyType: String)
}

/// The end of a task: its status, event payload and what to do with its entry.
public struct TaskOutcome: Sendable {
    public var task: String
    public var envelope: Envelope
    public var agent: String
    public var status: TaskStatus
    /// JSON text of the terminal event's payload.
    public var eventPayload: String
    /// JSON text of the result (completed tasks).
    public var result: String?
    /// The result in words for people (`ReadableResult`), sent as the event's `text` field and kept in the task hash.
    public var text: String?
    public var failure: TaskFailure?
    /// The entry to XACK after the state is written.
    public var ack: (stream: String, group: String, entryID: String)?
    /// A dead letter to write before anything else.
    public var deadLetter: (stream: String, fields: [(String, String)])?

    public init(task: String, envelope: Envelope, agent: String, status: TaskStatus, eventPayload: String, result: String? = nil, text: String? = nil, failure: TaskFailure? = nil, ack: (stream: String, group: String, entryID: String)? = nil, deadLetter: (stream: String, fields: [(String, String)])? = nil) {
        self.task = task
        self.envelope = envelope
        self.agent = agent
        self.status = status
        self.eventPayload = eventPayload
        self.result = result
        self.text = text
        self.failure = failure
        self.ack = ack
        self.deadLetter = deadLetter
    }
}

/// Result of a cancel request.
public enum CancelRequest: Sendable, Hashable {
    case unknownTask
    case alreadyEnded(TaskStatus?)
    /// The task had not started and is now CANCELLED.
    case cancelled
    /// The task is running; its agent has been told.
    case requested
}

/// Token usage and cost of model calls, added to the task hash.
public struct Usage: Sendable, Hashable, Codable {
    public var tokensIn: Int
    public var tokensOut: Int
    public var costUSD: Double

    public init(tokensIn: Int = 0, tokensOut: Int = 0, costUSD: Double = 0) {
        self.tokensIn = tokensIn
        self.tokensOut = tokensOut
        self.costUSD = costUSD
    }
}

/// One instance's heartbeat, stored as JSON under its instance id in `sb:live:<agent>`.
public struct Heartbeat: Sendable, Hashable, Codable {
    public var agent: String
    public var instance: String
    public var host: String
    public var pid: Int
    public var version: String
    /// ISO-8601 start time.
    public var started: String
    public var inFlight: Int
    public var processed: Int
    public var failed: Int
    /// Unix time in milliseconds of this beat.
    public var seenAt: Int64
    /// Milliseconds after `seenAt` when the beat counts as stale.
    public var ttlMs: Int64

    enum CodingKeys: String, CodingKey {
        case agent, instance, host, pid, version, started, processed, failed
        case inFlight = "in_flight"
        case seenAt = "seen_at"
        case ttlMs = "ttl_ms"
    }

    public init(agent: String, instance: String, host: String, pid: Int, version: String, started: String, inFlight: Int, processed: Int, failed: Int, seenAt: Int64, ttlMs: Int64) {
        self.agent = agent
        self.instance = instance
        self.host = host
        self.pid = pid
        self.version = version
        self.started = started
        self.inFlight = inFlight
        self.processed = processed
        self.failed = failed
        self.seenAt = seenAt
        self.ttlMs = ttlMs
    }
}
