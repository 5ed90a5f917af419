import AgentBase
import Foundation
import Logging

extension ChatService {
    /// Holds an `admin` request (its payload checked) until an admin decides: stores it and returns the prompt to show
    /// with buttons.
    func requestApproval(type: String, to agent: AgentEntry, payload: JSONValue, message: InboundMessage) async throws -> Reply {
        let approval = try await approvals.create(type: type, agent: agent.name, payload: payload, command: message.text, origin: message.origin, requester: message.identity)
        logger.notice("approval requested", metadata: ["approval": "\(approval.id)", "type": "\(type)", "requester": "\(message.identity)"])
        return Reply(text: approval.prompt, approval: approval)
    }

    /// An admin's decision on an approval, from any channel or the API: recorded once (with its audit event), the
    /// request published when approved, and the chat that asked told either way. Returns the outcome and a line for
    /// the decider.
    public func decide(_ id: String, approve: Bool, by decider: Requester) async throws -> (ApprovalDecision, String) {
        guard decider.role == .admin else {
            return (.notAllowed, "Only an admin can approve or deny requests; you are \(decider.role.withArticle).")
        }
        let decision = try await approvals.decide(id, approve: approve, by: decider.identity)
        switch decision {
        case .unknown, .notAllowed:
            return (decision, "No approval \(id).")
        case .alreadyDecided(let approval):
            return (decision, "Approval \(id) is \(approval.status.rawValue) already\(approval.decidedBy.map { " (by \($0))" } ?? "").")
        case .expired(let approval):
            await tell(approval, "Request \(id) (`\(approval.command)`) expired without a decision; ask again if it is still wanted.")
            return (decision, "Approval \(id) had expired; nothing was run.")
        case .decided(let approval) where approval.status == .denied:
            logger.notice("approval denied", metadata: ["approval": "\(id)", "by": "\(decider.identity)"])
            await tell(approval, "Denied by \(decider.identity): `\(approval.command)` was not run.")
            return (decision, "Denied \(id).")
        case .decided(let approval):
            logger.notice("approval granted", metadata: ["approval": "\(id)", "by": "\(decider.identity)"])
            // The payload was checked when the request was made; its agent checks it again.
            let payload = (try? JSONValue(parsing: approval.payload)) ?? .object([:])
            guard let agent = router.registry.agent(named: approval.agent) else { return (decision, "Approved \(id), but no agent '\(approval.agent)' is registered now.") }
            let reply = try await publish(type: approval.type, to: agent, payload: payload, origin: approval.origin, text: approval.command, requester: approval.requester, task: approval.task, awaitingAck: true)
            await tell(approval, "Approved by \(decider.identity). \(reply.text)", task: reply.task)
            return (decision, "Approved \(id): \(reply.text)")
        }
    }

    /// Tells the chat a request came from what became of it: the prompt (with its buttons) is replaced, and a new
    /// message acknowledges the task so its progress edits that one.
    private func tell(_ approval: Approval, _ text: String, task: String? = nil) async {
        guard let channel = channels[approval.origin.channel] else {
            if let task { await origins.abandonAck(task) }
            return
        }
        do {
            if let prompt = approval.promptMessage {
                try await channel.update(prompt, with: "\(approval.prompt)\n\(text)", at: approval.origin)
            }
            let sent = try await channel.send(text, to: approval.origin)
            if let task { try await remember(statusMessage: sent, for: task, origin: approval.origin) }
        } catch {
            if let task { await origins.abandonAck(task) }
            logger.error("could not tell the chat about an approval", metadata: ["approval": "\(approval.id)", "error": "\(error)"])
        }
    }
}
