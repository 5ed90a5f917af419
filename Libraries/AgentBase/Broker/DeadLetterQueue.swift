/// The dead-letter streams (`sb:dlq:<agent>`): read them, and send a dead letter's request again.
public protocol DeadLetterQueue: Sendable {
    /// Entries of a dead-letter stream, oldest first.
    func deadLetters(agent: String, count: Int) async throws -> [StreamEntry]
    /// Publishes a dead letter's original request again (as a new task) and removes it from the DLQ.
    func replayDeadLetter(agent: String, id: String, stream: String) async throws -> String
}
