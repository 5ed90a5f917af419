import AgentBase
import Foundation

/// An `admin` request from chat waiting for an admin's decision (`sb:approval:<id>`): what would be published,
/// for whom, where the answer goes, and until when it may be approved.
public struct Approval: Sendable, Hashable, Codable {
    /// Where an approval stands.
    public enum Status: String, Sendable, Hashable, Codable {
        case pending, approved, denied, expired
    }

    /// Short id people type (`/approve 3f9c2a71d0`).
    public var id: String
    /// The task id the request is published under once approved.
    public var task: String
    public var type: String
    public var agent: String
    /// The payload, as JSON text.
    public var payload: String
    /// What the requester wrote (the chat command).
    public var command: String
    public var origin: Origin
    /// The requester's identity (`telegram:<user>`, …).
    public var requester: String
    public var status: Status
    public var requestedAt: Date
    public var expiresAt: Date
    public var decidedBy: String?
    public var decidedAt: Date?
    /// The chat message that shows the request with its buttons (edited when decided).
    public var promptMessage: String?

    /// What an admin sees in chat: the request, who asked, and how to answer.
    public var prompt: String {
        "Approval needed (\(id)): \(requester) asks for `\(command)` (\(type) → \(agent)). An admin approves or denies it within \(Self.minutes(until: expiresAt)) minutes."
    }

    static func minutes(until date: Date) -> Int {
        max(1, Int((date.timeIntervalSinceNow / 60).rounded(.up)))
    }

    /// The API's and the audit event's view.
    public var json: JSONValue {
        var object: [String: JSONValue] = [
            "id": .string(id), "task": .string(task), "type": .string(type), "agent": .string(agent),
            "payload": (try? JSONValue(parsing: payload)) ?? .string(payload), "command": .string(command),
            "requester": .string(requester), "source": .string(origin.source), "status": .string(status.rawValue),
            "requested_at": .string(ISO8601.string(requestedAt)), "expires_at": .string(ISO8601.string(expiresAt)),
        ]
        if let decidedBy { object["decided_by"] = .string(decidedBy) }
        if let decidedAt { object["decided_at"] = .string(ISO8601.string(decidedAt)) }
        return .object(object)
    }
}

/// What became of a decision on an approval.
public enum ApprovalDecision: Sendable, Hashable {
    /// This decision was recorded (and, when approved, the request is to be published).
    case decided(Approval)
    /// Someone decided first, or it expired.
    case alreadyDecided(Approval)
    /// Past its time: now marked expired.
    case expired(Approval)
    case unknown
    /// The decider is not an admin: nothing was looked at or changed.
    case notAllowed
}
