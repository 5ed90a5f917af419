import Logging

/// What a handler gets besides its typed request: who asked, which attempt, and ways to report.
public struct TaskContext: Sendable {
    /// The context of the task the current Swift task works for (set by the runner around each handler), so
    /// shared helpers such as the metered model can find it without being handed it.
    @TaskLocal public static var current: TaskContext?

    public let task: String
    public let agent: String
    /// 1 for the first try; counts retries and redeliveries.
    public let attempt: Int
    public let envelope: Envelope
    /// The broker the task came from, for agents that publish messages or keep memory between tasks.
    public let broker: any MessageBroker
    private let baseLogger: Logger

    init(task: String, agent: String, attempt: Int, envelope: Envelope, logger: Logger, broker: any MessageBroker) {
        self.task = task
        self.agent = agent
        self.attempt = attempt
        self.envelope = envelope
        self.baseLogger = logger
        self.broker = broker
    }

    /// A logger whose lines carry the task id and message type (built on use: most handlers never log).
    public var logger: Logger {
        var logger = baseLogger
        logger[metadataKey: "task"] = "\(task)"
        logger[metadataKey: "type"] = "\(envelope.type)"
        return logger
    }

    /// Publishes `task.progress`; a failure to publish is logged, never thrown into the handler.
    public func progress(_ message: String, percent: Double? = nil) async {
        do {
            try await broker.progress(task: task, message: message, percent: percent)
        } catch {
            logger.warning("could not publish progress", metadata: ["error": "\(error)"])
        }
    }

    /// Adds model token usage and cost to the task.
    public func recordUsage(_ usage: Usage) async {
        do {
            try await broker.recordUsage(task: task, usage: usage)
        } catch {
            logger.warning("could not record usage", metadata: ["error": "\(error)"])
        }
    }
}
