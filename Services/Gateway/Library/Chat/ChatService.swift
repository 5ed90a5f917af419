import AgentBase
import Foundation
import Logging

/// Handles what people send in any chat channel: who they are and what they may do, command routing, approvals of
/// admin requests, rate limits, publishing, and remembering where to answer.
public struct ChatService: Sendable {
    public let router: ChatRouter
    let tasks: any TaskStore
    let liveness: any Liveness
    let keys: KeySpace
    /// How chat requests (and the REST API's) are submitted.
    public let submitter: TaskSubmitter
    let origins: OriginStore
    let limiters: [String: RateLimiter]
    let defaultLimiter: RateLimiter
    let conversations: ConversationStore
    /// Coding sessions: bindings and their turns, one at a time.
    public let sessions: SessionTurns
    /// Session turns a chat user may send per window (`GATEWAY_RATE_LIMIT_SESSION`).
    let sessionLimiter: RateLimiter
    /// Files sent with turns: fetched, checked and kept for code-writer.
    let attachments: TurnAttachments
    /// Who holds which role (`Registry/access.yaml`).
    public let access: AccessPolicy
    /// Which repositories requests may name (`GITHUB_ALLOWED_REPOS`, `SB_REPO_ALLOW`).
    public let repositories: RepositoryPolicy
    public let approvals: ApprovalStore
    /// The channels answers go out on, by name (approval decisions reach the chat that asked, wherever they are made).
    let channels: [String: any ChatChannel]
    let logger: Logger

    public init(router: ChatRouter, bus: RedisBus, access: AccessPolicy = AccessPolicy(), repositories: RepositoryPolicy, channels: [any ChatChannel] = [], approvalTTL: Duration = .seconds(3600), rateLimit: RateLimit = RateLimit(limit: 5, window: .seconds(900)), channelRateLimits: [String: RateLimit] = [:], sessionRateLimit: RateLimit = .sessionTurns, sessionIdleTTL: Duration = SwitchboardEnvironment.defaultSessionIdleTTL, attachmentMaxBytes: Int = GatewayConfiguration.defaultAttachmentMaxBytes, clock: @escaping @Sendable () -> Date = Date.init, logger: Logger) {
        self.router = router
        let storage = GatewayStorage(bus: bus)
        let origins = OriginStore(storage: storage)
        let conversations = ConversationStore(storage: storage)
        self.tasks = bus.tasks
        self.liveness = bus.liveness
        self.keys = bus.keys
        let submitter = TaskSubmitter(queue: bus.queue, storage: storage, origins: origins, conversations: conversations)
        self.submitter = submitter
        self.origins = origins
        self.defaultLimiter = RateLimiter(redis: bus.redis, keys: bus.keys, limit: rateLimit.limit, window: rateLimit.window, now: clock)
        self.limiters = channelRateLimits.mapValues { RateLimiter(redis: bus.redis, keys: bus.keys, limit: $0.limit, window: $0.window, now: clock) }
        self.conversations = conversations
        self.sessions = SessionTurns(
            store: SessionStore(storage: storage, idleTTL: sessionIdleTTL, now: clock), submitter: submitter, tasks: bus.tasks,
            agent: router.registry.agent(consuming: SessionTurnRequest.type), logger: logger
        )
        self.sessionLimiter = RateLimiter(redis: bus.redis, keys: bus.keys, limit: sessionRateLimit.limit, window: sessionRateLimit.window, now: clock)
        self.attachments = TurnAttachments(files: bus.files, maxBytes: attachmentMaxBytes, ttl: sessionIdleTTL)
        self.access = access
        self.repositories = repositories
        self.approvals = ApprovalStore(redis: bus.redis, keys: bus.keys, eventsMaxLength: bus.eventsMaxLength, ttl: approvalTTL)
        self.channels = Dictionary(channels.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.logger = logger
    }

    /// The immediate answer to a message, and the task it started (if any).
    public struct Reply: Sendable, Hashable {
        /// What to send back; empty when there is nothing to say.
        public var text: String
        public var task: String?
        /// A request waiting for an admin: channels show it with approve / deny buttons.
        public var approval: Approval?
        /// The sender may not use Switchboard at all.
        public var refused = false

        public init(text: String, task: String? = nil, approval: Approval? = nil, refused: Bool = false) {
            self.text = text
            self.task = task
            self.approval = approval
            self.refused = refused
        }
    }

    /// The role of the message's sender, or nil when they may not use Switchboard.
    public func role(of message: InboundMessage) -> Role? {
        access.role(of: message.identity, passedGate: message.trusted, channelRole: message.channelRole)
    }

    /// Routes the message and, when the sender's role allows it, acts: answers, publishes, or asks an admin first.
    /// The caller sends `reply.text` back (see `answer`); with `awaitingAck` the task's events wait until it has
    /// recorded that message (`remember`) or given up (`OriginStore.abandonAck`).
    public func handle(_ message: InboundMessage, awaitingAck: Bool = false) async throws -> Reply {
        guard let role = role(of: message) else {
            logger.notice("refused a sender without a role", metadata: ["identity": "\(message.identity)"])
            return Reply(text: "Sorry, Switchboard does not act for \(message.identity). Ask its operator to allow you (\(Self.gate(message.origin.channel)) or Registry/access.yaml).", refused: true)
        }
        let requester = Requester(identity: message.identity, role: role)
        if !message.files.isEmpty, message.text.allSatisfy(\.isWhitespace) {
            return try await filesOnly(message, role: role, awaitingAck: awaitingAck)
        }
        switch router.route(message.text) {
        case .reply(let text):
            return Reply(text: text)
        case .agents:
            let overviews = try await AgentOverview.list(router.registry, liveness: liveness, keys: keys)
            return Reply(text: overviews.map { "\($0.name): \($0.instances.count) live — \($0.description)" }.joined(separator: "\n"))
        case .status(let task):
            guard let snapshot = try await tasks.task(task), try await origins.mayTouch(task, snapshot: snapshot, requester) else { return Reply(text: "No task \(task).") }
            let status = snapshot.status?.rawValue.lowercased() ?? "unknown"
            return Reply(text: "Task \(task): \(status)" + (snapshot.fields["progress"].map { " — \($0)" } ?? ""))
        case .cancel(let task):
            guard role.allows(.write) else { return Reply(text: Self.needs(.write, role)) }
            guard let snapshot = try await tasks.task(task), try await origins.mayTouch(task, snapshot: snapshot, requester) else { return Reply(text: "No task \(task).") }
            return Reply(text: try await cancel(task))
        case .decide(let id, let approve):
            let (decision, text) = try await decide(id, approve: approve, by: requester)
            if case .decided(let approval) = decision, approval.origin.conversation == message.origin.conversation { return Reply(text: "") }
            return Reply(text: text)
        case .session(let arguments):
            return try await session(arguments, message: message, role: role)
        case .endSession:
            return try await endSession(message, role: role)
        case .stopTurn:
            return try await stopTurn(message, role: role)
        case .verbosity(let level):
            return try await setVerbosity(level, message: message, role: role)
        case .sessionCommand(let command, let title):
            return try await sessionCommand(command, title: title, message: message, role: role, awaitingAck: awaitingAck)
        case .publish(let type, let payload):
            if type == ChatMessageRequest.type, let binding = try await sessions.store.binding(message.origin.conversation) {
                return try await turn(message, in: binding, role: role, awaitingAck: awaitingAck)
            }
            let needed = router.registry.permission(for: type, payload: payload, command: router.command(in: message.text))
            guard role.allows(.write) else { return Reply(text: Self.needs(needed, role)) }
            if let refusal = repositories.refusal(type: type, payload: payload) { return Reply(text: "Refused: \(refusal.message)") }
            if let wait = try await rateLimit(user: message.user, channel: message.origin.channel) {
                return Reply(text: Self.limited(limiters[message.origin.channel] ?? defaultLimiter, wait: wait, what: "tasks"))
            }
            let agent: AgentEntry
            switch target(of: type, payload: payload) {
            case .success(let found): agent = found
            case .failure(let refusal): return Reply(text: refusal.text)
            }
            if needed == .admin {
                return try await requestApproval(type: type, to: agent, payload: payload, message: message)
            }
            return try await publish(type: type, to: agent, payload: payload, origin: message.origin, text: message.text, requester: message.identity, awaitingAck: awaitingAck)
        }
    }

    /// Why a request cannot go out, in words for its sender.
    struct Refusal: Error {
        let text: String
    }

    /// The agent that takes `type` once `payload` passes the gateway's one check of it, else why not.
    func target(of type: String, payload: JSONValue) -> Result<AgentEntry, Refusal> {
        guard let agent = router.registry.agent(consuming: type) else { return .failure(Refusal(text: "No agent handles \(type) here.")) }
        do {
            try PayloadCheck.beforePublishing(type: type, value: payload, schemas: router.schemas)
        } catch {
            return .failure(Refusal(text: "That request is not valid: \(error.reason)"))
        }
        return .success(agent)
    }

    /// Counts one task for `user` of `channel`; nil when allowed, else how long until the window resets.
    public func rateLimit(user: String, channel: String) async throws -> Duration? {
        try await (limiters[channel] ?? defaultLimiter).take(user: user, channel: channel)
    }

    /// Publishes work for an event (a pull request being opened) on behalf of `requester`, once its payload passes
    /// `target(of:payload:)`.
    public func publish(type: String, payload: JSONValue, origin: Origin, text: String, requester: String?) async throws -> Reply {
        switch target(of: type, payload: payload) {
        case .success(let agent): return try await publish(type: type, to: agent, payload: payload, origin: origin, text: text, requester: requester)
        case .failure(let refusal): return Reply(text: refusal.text)
        }
    }

    /// Publishes work for an origin (a chat command, or an approved request) on behalf of `requester`, under `task`
    /// when it is known already; the payload has passed `target(of:payload:)`. A task that exists already is left as
    /// it is: the reply says so and names no task, so nothing of it is recorded again.
    func publish(type: String, to agent: AgentEntry, payload: JSONValue, origin: Origin, text: String, requester: String?, task: String = UUID().uuidString.lowercased(), awaitingAck: Bool = false) async throws -> Reply {
        let conversation = origin.conversation
        // The assistant and coding turns get the conversation's recent messages as their context.
        let withContext = type == ChatMessageRequest.type || type == SessionTurnRequest.type
        let payload = withContext ? try await conversations.withContext(payload, of: conversation) : payload
        let envelope = Envelope(type: type, payload: payload.jsonString, source: origin.source, conversation: conversation)
        let record = TaskSubmitter.ChatRecord(origin: origin, requester: requester, text: text, awaitingAck: awaitingAck)
        guard case .queued = try await submitter.submit(envelope, task: task, to: agent, chat: record) else {
            return Reply(text: "Task \(task) exists already.")
        }
        logger.info("published", metadata: ["task": "\(task)", "type": "\(type)", "channel": "\(origin.channel)"])
        return Reply(text: type == ChatMessageRequest.type ? "…" : "Working on it (task \(task)).", task: task)
    }

    /// Handles `message` and sends the answer through `channel` (an approval request with its buttons), then records
    /// the message that acknowledged a task so progress edits it. Once a task is published, failing to answer is
    /// logged, not thrown: the work must not be asked for twice.
    @discardableResult
    public func answer(_ message: InboundMessage, via channel: any ChatChannel) async throws -> Reply {
        let reply = try await handle(message, awaitingAck: true)
        do {
            if let approval = reply.approval {
                if let sent = try await channel.requestApproval(reply.text, approval: approval.id, to: message.origin) {
                    try await approvals.setPromptMessage(sent, for: approval.id)
                }
            } else if !reply.text.isEmpty {
                let sent = try await channel.send(reply.text, to: message.origin)
                if let task = reply.task { try await remember(statusMessage: sent, for: task, origin: message.origin) }
            }
        } catch where reply.task != nil || reply.approval != nil {
            if let task = reply.task { await origins.abandonAck(task) }
            logger.error("could not answer in chat after the request was taken", metadata: ["channel": "\(channel.name)", "error": "\(error)"])
        }
        return reply
    }

    /// Records the message that acknowledged a task, so progress edits it.
    public func remember(statusMessage: String?, for task: String, origin: Origin) async throws {
        try await origins.record(origin, task: task, statusMessage: statusMessage, requester: nil)
    }

    /// Asks for `task` to be cancelled; answers what became of it.
    func cancel(_ task: String) async throws -> String {
        switch try await tasks.requestCancel(task: task) {
        case .unknownTask: "No task \(task)."
        case .alreadyEnded(let status): "Task \(task) has ended already (\(status?.rawValue.lowercased() ?? "?"))."
        case .cancelled: "Cancelled \(task) before it started."
        case .requested: "Cancelling \(task)…"
        }
    }

    /// The answer to a request over `limiter`'s limit: the limit and when to try again.
    static func limited(_ limiter: RateLimiter, wait: Duration, what: String) -> String {
        let minutes = max(1, Int((Double(wait.milliseconds) / 60_000).rounded(.up)))
        return "You have reached the limit of \(limiter.limit) \(what) per \(limiter.window.milliseconds / 60_000) minutes. Try again in \(minutes) minute\(minutes == 1 ? "" : "s")."
    }

    static func needs(_ permission: Permission, _ role: Role) -> String {
        "That needs \(permission.rawValue) permission (\(Role.least(holding: permission).withArticle)); you are \(role.withArticle)."
    }

    static func gate(_ channel: String) -> String {
        switch channel {
        case "telegram": "TELEGRAM_ALLOWED_USERS"
        case "slack": "SLACK_ALLOWED_TEAMS"
        case "github": "GITHUB_TRUSTED_ASSOCIATIONS"
        default: "GATEWAY_API_TOKENS"
        }
    }
}

/// Who asks: an identity and the role it holds.
public struct Requester: Sendable, Hashable {
    public var identity: String
    public var role: Role

    public init(identity: String, role: Role) {
        self.identity = identity
        self.role = role
    }
}
