// Payloads of task lifecycle events on `sb:events` (the result itself is the payload of `task.completed`).

/// Payload of `task.failed`: a short error code, a readable reason, and whether a retry may succeed.
public struct TaskFailure: Codable, Sendable, Hashable {
    /// The event type this payload travels with.
    public static let eventType = "task.failed"

    /// Short machine-readable code, e.g. `bad_message`, `unknown_type`, `invalid_payload`, `handler_error`, `timeout`.
    public var error: String
    /// What went wrong, readable by the person who asked.
    public var reason: String
    /// Whether the same request may succeed if sent again.
    public var retryable: Bool

    enum CodingKeys: String, CodingKey {
        case error
        case reason
        case retryable
    }

    public init(error: String, reason: String, retryable: Bool) {
        self.error = error
        self.reason = reason
        self.retryable = retryable
    }
}

/// Payload of `task.progress`: a readable progress line and, when known, the percentage done.
public struct TaskProgress: Codable, Sendable, Hashable {
    /// The event type this payload travels with.
    public static let eventType = "task.progress"

    /// What the agent is doing now.
    public var message: String
    /// Percentage done, 0…100.
    public var percent: Double?

    enum CodingKeys: String, CodingKey {
        case message
        case percent
    }

    public init(message: String, percent: Double? = nil) {
        self.message = message
        self.percent = percent
    }
}
