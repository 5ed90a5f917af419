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
    /// The bus the task came from: its state, and the connection for an agent's own keys (memory between tasks).
    public let bus: AgentBus
    private let baseLogger: Logger

    init(task: String, agent: String, attempt: Int, envelope: Envelope, logger: Logger, bus: AgentBus) {
        self.task = task
        self.agent = agent
        self.attempt = attempt
        self.envelope = envelope
        self.baseLogger = logger
        self.bus = bus
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
            try await bus.tasks.progress(task: task, message: message, percent: percent)
        } catch {
            logger.warning("could not publish progress", metadata: ["error": "\(error)"])
        }
    }

    /// Adds model token usage and cost to the task.
    public func recordUsage(_ usage: Usage) async {
        do {
            try await bus.tasks.recordUsage(task: task, usage: usage, totals: [])
        } catch {
            logger.warning("could not record usage", metadata: ["error": "\(error)"])
        }
    }
}
