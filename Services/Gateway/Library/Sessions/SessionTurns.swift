import AgentBase
import Foundation
import Logging

/// Runs the turns of coding sessions one at a time: a turn is published at once when its session is idle, else it
/// waits in the session's queue; when a turn's task ends (its event reaches result delivery), the next one is published.
public struct SessionTurns: Sendable {
    public let store: SessionStore
    let submitter: TaskSubmitter
    let tasks: any TaskStore
    /// The agent that consumes `session.turn`, when the registry has one.
    let agent: AgentEntry?
    let logger: Logger
    /// How long a turn marked running may be missing from the task store before the session moves on without it
    /// (a gateway that died between starting a turn and publishing it).
    static let unpublishedGrace: TimeInterval = 60

    /// The `session.turn` payload of `text` in `binding`'s session.
    static func payload(_ binding: SessionBinding, text: String, requester: String?, attachments: [SessionAttachment]) -> JSONValue {
        var fields: [String: JSONValue] = ["repo_url": .string(binding.repoURL), "base": .string(binding.base), "text": .string(text)]
        if let requester { fields["requester"] = .string(requester) }
        if !attachments.isEmpty, let files = try? JSONValue(encoding: attachments) { fields["attachments"] = files }
        fields["verbosity"] = .number(Double(binding.verbosity))
        return .object(fields)
    }

    /// What the status message of a turn shows for its progress `line`, by its session's verbosity: nothing (0), the
    /// line (1), or the turn's last steps (2). Tasks of other types show the line.
    func progressText(for event: TaskEvent, line: String) async throws -> String? {
        guard event.requestType == SessionTurnRequest.type, let conversation = event.conversation,
              let binding = try await store.binding(conversation) else { return line }
        switch binding.verbosity {
        case 0: return nil
        case 2: return try await store.appendProgress(line, task: event.task).joined(separator: "\n")
        default: return line
        }
    }

    /// The task `task` of `conversation` ended: when it was the session's running turn, the next queued one is published.
    public func ended(task: String, conversation: String) async {
        do {
            guard let next = try await store.advance(conversation, ended: task), let agent, let binding = try await store.binding(conversation) else { return }
            let payload = try await submitter.conversations.withContext(Self.payload(binding, text: next.text, requester: next.requester, attachments: next.attachments ?? []), of: conversation)
            let envelope = Envelope(type: SessionTurnRequest.type, payload: payload.jsonString, source: next.source, conversation: conversation)
            _ = try await submitter.submit(envelope, task: next.task, to: agent)
            logger.info("published a queued session turn", metadata: ["task": "\(next.task)", "after": "\(task)"])
        } catch {
            logger.error("could not start the next turn of a session", metadata: ["conversation": "\(conversation)", "error": "\(error)"])
        }
    }

    /// Moves on every session whose running turn ended while no gateway ran (result delivery reads only new events):
    /// run when result delivery starts.
    public func resume() async {
        do {
            for binding in try await store.all() where binding.running != nil { try await unstick(binding) }
        } catch {
            logger.warning("could not look for sessions to move on", metadata: ["error": "\(error)"])
        }
    }

    /// Moves a session on whose running turn has ended without the gateway seeing its event (no gateway ran then), or
    /// was never published.
    func unstick(_ binding: SessionBinding) async throws {
        guard let running = binding.running else { return }
        if let status = try await tasks.task(running)?.status {
            guard status.isTerminal else { return }
        } else if let started = binding.lastTurnAt, Date().timeIntervalSince(started) < Self.unpublishedGrace {
            return
        }
        await ended(task: running, conversation: binding.conversation)
    }
}
