/// Field names a dead letter adds to the original entry's fields.
public enum DeadLetterFields {
    /// The original entry id.
    public static let entry = "entry"
    /// The stream it was read from.
    public static let stream = "stream"
    public static let agent = "agent"
    /// Deliveries and tries so far.
    public static let attempts = "attempts"
    /// Why it was dead-lettered, readable.
    public static let reason = "reason"
    /// Short code: `bad_message`, `unknown_type`, `invalid_payload`, `max_attempts`.
    public static let error = "error"
    public static let failedAt = "failed_at"
    static let metadata: Set<String> = [entry, stream, agent, attempts, reason, error, failedAt, "replay_of"]
}

extension TaskOutcome {
    /// A task ended FAILED whose request goes to the agent's dead-letter stream: the request's `fields` plus the
    /// `DeadLetterFields` saying where it came from and why; its entry is acked.
    static func deadLettered(
        task: String, entryID: String, envelope: Envelope, fields: [(String, String)], agent: String, stream: String, group: String,
        deadLetters: String, code: String, reason: String, attempts: Int
    ) -> TaskOutcome {
        let failure = TaskFailure(error: code, reason: reason, retryable: false)
        let metadata = [
            (DeadLetterFields.entry, entryID), (DeadLetterFields.stream, stream), (DeadLetterFields.agent, agent),
            (DeadLetterFields.attempts, String(attempts)), (DeadLetterFields.error, code), (DeadLetterFields.reason, reason),
            (DeadLetterFields.failedAt, ISO8601.now()),
        ]
        return TaskOutcome(
            task: task, envelope: envelope, agent: agent, status: .failed, eventPayload: (try? JSONCoding.string(failure)) ?? "{}",
            failure: failure, ack: (stream, group, entryID), deadLetter: (deadLetters, fields + metadata)
        )
    }
}
