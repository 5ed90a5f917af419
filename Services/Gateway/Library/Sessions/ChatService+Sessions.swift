import AgentBase
import Foundation
import Logging

extension ChatService {
    /// `/session` shows the conversation's session; `/session <owner/repo | clone URL> [base]` binds the conversation
    /// to an allowed repository (needs write).
    func session(_ arguments: [String], message: InboundMessage, role: Role) async throws -> Reply {
        let conversation = message.origin.conversation
        guard let repository = arguments.first else {
            guard let binding = try await sessions.store.binding(conversation) else {
                return Reply(text: "This conversation has no coding session. Start one with /session <owner/repo | clone URL> [base].")
            }
            return Reply(text: binding.summary(spend: try await tasks.usageTotals(keys.usage(conversation: conversation))))
        }
        guard role.allows(.write) else { return Reply(text: Self.needs(.write, role)) }
        let repoURL: String
        do {
            repoURL = try repositories.cloneURL(repository)
        } catch {
            return Reply(text: "Refused: \(error.message)")
        }
        let base = arguments.count > 1 ? arguments[1] : router.defaultBase
        let (binding, created) = try await sessions.store.bind(conversation, repoURL: repoURL, base: base, by: message.identity)
        guard created else {
            return Reply(text: "This conversation is a coding session on \(binding.repoURL) already (branch \(binding.branch)). /end it first to start another.")
        }
        logger.info("session bound", metadata: ["conversation": "\(conversation)", "identity": "\(message.identity)"])
        return Reply(text: """
        Coding session started on \(repoURL) from \(base). Each message you write here is now a turn for code-writer, \
        one at a time, committed to the branch \(binding.branch). /session shows the session, /end ends it.
        """)
    }

    /// `/end`: ends the session (needs write); its branch stays, queued turns are dropped, a running turn finishes.
    func endSession(_ message: InboundMessage, role: Role) async throws -> Reply {
        guard role.allows(.write) else { return Reply(text: Self.needs(.write, role)) }
        guard let (binding, dropped) = try await sessions.store.end(message.origin.conversation) else {
            return Reply(text: "This conversation has no coding session.")
        }
        var text = "Coding session ended. The branch \(binding.branch) stays in \(binding.repoURL)."
        if let running = binding.running { text += " The running turn (task \(running)) finishes." }
        if dropped > 0 { text += " \(dropped) queued turn\(dropped == 1 ? " was" : "s were") dropped." }
        return Reply(text: text)
    }

    /// `/stop`: cancels the session's running turn, whoever sent it (needs write); what it wrote is not committed, and
    /// the next queued turn starts when its task has ended.
    func stopTurn(_ message: InboundMessage, role: Role) async throws -> Reply {
        guard role.allows(.write) else { return Reply(text: Self.needs(.write, role)) }
        guard let binding = try await sessions.store.binding(message.origin.conversation) else {
            return Reply(text: "This conversation has no coding session.")
        }
        guard let running = binding.running else { return Reply(text: "No turn is running.") }
        return Reply(text: try await cancel(running))
    }

    /// `/verbose 0|1|2` (needs write): how much of each turn's work the session's status message shows from now on.
    func setVerbosity(_ level: Int, message: InboundMessage, role: Role) async throws -> Reply {
        guard role.allows(.write) else { return Reply(text: Self.needs(.write, role)) }
        guard try await sessions.store.setVerbosity(level, in: message.origin.conversation) else {
            return Reply(text: "This conversation has no coding session.")
        }
        let shown = ["only the reply", "one status line, edited as the turn works", "every step of the turn, as it happens"][level]
        return Reply(text: "Verbosity \(level): turns show \(shown).")
    }

    /// Plain text in a bound conversation: a `session.turn` (needs the type's permission, counts against the session
    /// rate limit), published now when the session is idle, else queued behind the running turn.
    func turn(_ message: InboundMessage, in binding: SessionBinding, role: Role, awaitingAck: Bool) async throws -> Reply {
        let type = SessionTurnRequest.type
        var payload = SessionTurns.payload(binding, text: message.text, requester: message.identity, attachments: [])
        let agent: AgentEntry
        switch try await admissible(type, payload: payload, from: message, role: role) {
        case .success(let found): agent = found
        case .failure(let refusal): return Reply(text: refusal.text)
        }
        var sent: [SessionAttachment] = []
        if !message.files.isEmpty {
            switch try await attachments.take(message.files, via: channels[message.origin.channel]) {
            case .success(let kept): sent = kept
            case .failure(let refusal): return Reply(text: refusal.message)
            }
            payload = SessionTurns.payload(binding, text: message.text, requester: message.identity, attachments: sent)
        }
        try await sessions.unstick(binding)
        let task = UUID().uuidString.lowercased()
        let origin = message.origin
        let queued = QueuedTurn(task: task, text: message.text, requester: message.identity, source: origin.source, attachments: sent.isEmpty ? nil : sent)
        switch try await sessions.store.admit(queued, in: origin.conversation) {
        case .unbound:
            return Reply(text: "This conversation's coding session has just ended; start another with /session.")
        case .runNow:
            return try await publish(type: type, to: agent, payload: payload, origin: origin, text: message.text, requester: message.identity, task: task, awaitingAck: awaitingAck)
        case .queued(let ahead):
            try await origins.record(origin, task: task, statusMessage: nil, requester: message.identity, awaitingAck: awaitingAck)
            try await conversations.append(origin.conversation, role: "user", text: message.text)
            logger.info("queued a session turn", metadata: ["task": "\(task)", "ahead": "\(ahead)"])
            return Reply(text: "Queued, \(ahead) ahead (task \(task)).", task: task)
        }
    }

    /// Files sent without a word: in a coding session a turn about them, elsewhere the answer that only sessions read files.
    func filesOnly(_ message: InboundMessage, role: Role, awaitingAck: Bool) async throws -> Reply {
        guard let binding = try await sessions.store.binding(message.origin.conversation) else {
            return Reply(text: "Files are read by coding sessions: bind this conversation to a repository with /session <owner/repo | clone URL> [base], then send them again.")
        }
        var turn = message
        turn.text = "(sent \(message.files.map(\.name).joined(separator: ", ")))"
        return try await self.turn(turn, in: binding, role: role, awaitingAck: awaitingAck)
    }

    /// `/diff`, `/undo` or `/pr [title…]` in a bound conversation: a `session.command` for code-writer, published at once
    /// (code-writer holds the repository's lock, so it runs before or after a running turn, never during it).
    func sessionCommand(_ command: SessionCommandRequest.Command, title: String?, message: InboundMessage, role: Role, awaitingAck: Bool) async throws -> Reply {
        guard let binding = try await sessions.store.binding(message.origin.conversation) else {
            return Reply(text: "This conversation has no coding session. Start one with /session <owner/repo | clone URL> [base].")
        }
        let type = SessionCommandRequest.type
        var fields: [String: JSONValue] = [
            "repo_url": .string(binding.repoURL), "base": .string(binding.base), "command": .string(command.rawValue), "requester": .string(message.identity),
        ]
        if let title { fields["title"] = .string(title) }
        let payload = JSONValue.object(fields)
        switch try await admissible(type, payload: payload, from: message, role: role) {
        case .success(let agent):
            return try await publish(type: type, to: agent, payload: payload, origin: message.origin, text: message.text, requester: message.identity, awaitingAck: awaitingAck)
        case .failure(let refusal):
            return Reply(text: refusal.text)
        }
    }

    /// The agent a session request goes to once the sender's role, the repository, the payload and the session rate
    /// limit (`GATEWAY_RATE_LIMIT_SESSION`) allow it, else why not.
    private func admissible(_ type: String, payload: JSONValue, from message: InboundMessage, role: Role) async throws -> Result<AgentEntry, Refusal> {
        let needed = router.registry.permission(for: type, payload: payload)
        guard role.allows(needed) else { return .failure(Refusal(text: Self.needs(needed, role))) }
        if let refusal = repositories.refusal(type: type, payload: payload) { return .failure(Refusal(text: "Refused: \(refusal.message)")) }
        let agent: AgentEntry
        switch target(of: type, payload: payload) {
        case .success(let found): agent = found
        case .failure(let refusal): return .failure(refusal)
        }
        if let wait = try await sessionLimiter.take(user: message.identity, channel: "session") {
            return .failure(Refusal(text: Self.limited(sessionLimiter, wait: wait, what: "session turns")))
        }
        return .success(agent)
    }
}
