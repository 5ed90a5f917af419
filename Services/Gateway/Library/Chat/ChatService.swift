import AgentBase
import Foundation
import Logging

/// Handles what people send in any chat channel: allow-list, command routing, rate limit,
/// publishing, and remembering where to answer.
public struct ChatService: Sendable {
    public let router: ChatRouter
    let broker: RedisStreamBroker
    let origins: OriginStore
    let limiters: [String: RateLimiter]
    let defaultLimiter: RateLimiter
    let conversations: ConversationStore
    let logger: Logger

    public init(router: ChatRouter, broker: RedisStreamBroker, rateLimit: RateLimit = RateLimit(limit: 5, window: .seconds(900)), channelRateLimits: [String: RateLimit] = [:], logger: Logger) {
        self.router = router
        self.broker = broker
        self.origins = OriginStore(broker: broker)
        self.defaultLimiter = RateLimiter(broker: broker, limit: rateLimit.limit, window: rateLimit.window)
        self.limiters = channelRateLimits.mapValues { RateLimiter(broker: broker, limit: $0.limit, window: $0.window) }
        self.conversations = ConversationStore(broker: broker)
        self.logger = logger
    }

    /// The immediate answer to a message, and the task it started (if any).
    public struct Reply: Sendable, Hashable {
        public var text: String
        public var task: String?
    }

    /// Routes the message; publishes when it asks for work. The caller sends `reply.text` back and
    /// then calls `remember` with the id of that message so progress can edit it.
    public func handle(_ message: InboundMessage) async throws -> Reply {
        switch router.route(message.text) {
        case .reply(let text):
            return Reply(text: text)
        case .agents:
            let overviews = try await AgentOverview.list(router.registry, broker: broker)
            return Reply(text: overviews.map { "\($0.name): \($0.instances.count) live — \($0.description)" }.joined(separator: "\n"))
        case .status(let task):
            guard let snapshot = try await broker.task(task) else { return Reply(text: "No task \(task).") }
            let status = snapshot.status?.rawValue.lowercased() ?? "unknown"
            return Reply(text: "Task \(task): \(status)" + (snapshot.fields["progress"].map { " — \($0)" } ?? ""))
        case .cancel(let task):
            switch try await broker.requestCancel(task: task) {
            case .unknownTask: return Reply(text: "No task \(task).")
            case .alreadyEnded(let status): return Reply(text: "Task \(task) has ended already (\(status?.rawValue.lowercased() ?? "?")).")
            case .cancelled: return Reply(text: "Cancelled \(task) before it started.")
            case .requested: return Reply(text: "Cancelling \(task)…")
            }
        case .publish(let type, let payload):
            let limiter = limiters[message.origin.channel] ?? defaultLimiter
            if let wait = try await limiter.take(user: message.user, channel: message.origin.channel) {
                let minutes = max(1, Int((Double(wait.milliseconds) / 60_000).rounded(.up)))
                return Reply(text: "You have reached the limit of \(limiter.limit) tasks per \(limiter.window.milliseconds / 60_000) minutes. Try again in \(minutes) minute\(minutes == 1 ? "" : "s").")
            }
            return try await publish(type: type, payload: payload, origin: message.origin, text: message.text)
        }
    }

    /// Publishes work for an origin (a chat command, or an event such as a pull request being opened).
    public func publish(type: String, payload: JSONValue, origin: Origin, text: String) async throws -> Reply {
        guard let agent = router.registry.agent(consuming: type) else {
            return Reply(text: "No agent handles \(type) here.")
        }
        do {
            try PayloadCheck.full(type: type, value: payload, schemas: router.schemas)
        } catch {
            return Reply(text: "That request is not valid: \(error.reason)")
        }
        let task = UUID().uuidString.lowercased()
        let conversation = origin.conversation
        var payload = payload
        if type == ChatMessageRequest.type, case .object(var fields) = payload {
            let recent = try await conversations.recent(conversation)
            if !recent.isEmpty { fields["context"] = .array(recent) }
            payload = .object(fields)
        }
        try await conversations.append(conversation, role: "user", text: text)
        let envelope = Envelope(type: type, payload: payload.jsonString, source: origin.source, conversation: conversation)
        try await origins.record(origin, task: task, statusMessage: nil)
        _ = try await broker.submit(envelope, task: task, agent: agent.name, stream: broker.keys.stream(relative: agent.stream))
        logger.info("published", metadata: ["task": "\(task)", "type": "\(type)", "channel": "\(origin.channel)"])
        return Reply(text: type == ChatMessageRequest.type ? "…" : "Working on it (task \(task)).", task: task)
    }

    /// Records the message that acknowledged a task, so progress edits it.
    public func remember(statusMessage: String?, for task: String, origin: Origin) async throws {
        try await origins.record(origin, task: task, statusMessage: statusMessage)
    }
}
