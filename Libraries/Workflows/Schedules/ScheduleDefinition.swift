import AgentBase
import Foundation

/// A schedule from `Registry/schedules.yaml`: when to fire and what to publish.
public struct ScheduleDefinition: Sendable, Hashable {
    public var name: String
    public var description: String
    public var cron: CronExpression
    public var timeZone: TimeZone
    public var target: ScheduleTarget
    /// Each fire is delayed by a fixed share of this, derived from the schedule and the slot (the same on every replica).
    public var jitter: Duration
    public var missed: MissedRunPolicy

    /// The next slot after `date`.
    public func nextFire(after date: Date) -> Date? {
        cron.next(after: date, in: timeZone)
    }

    /// The delay of the fire of `slot` (seconds since 1970): between zero and `jitter`.
    public func jitterDelay(slot: Int64) -> Duration {
        let total = jitter.milliseconds
        guard total > 0 else { return .zero }
        var hash: UInt64 = 14_695_981_039_346_656_037
        for byte in "\(name)@\(slot)".utf8 {
            hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211
        }
        return .milliseconds(Int(hash % UInt64(total)))
    }
}

/// What a schedule publishes.
public enum ScheduleTarget: Sendable, Hashable {
    /// `workflow.run` with these inputs.
    case workflow(String, inputs: [String: JSONValue])
    /// A message of `type` to the agent that consumes it.
    case message(type: String, agent: String, stream: String, payload: JSONValue)

    /// The message type published and its payload.
    public var published: (type: String, payload: JSONValue) {
        switch self {
        case .workflow(let name, let inputs): (WorkflowRunRequest.type, ["workflow": .string(name), "inputs": .object(inputs)])
        case .message(let type, _, _, let payload): (type, payload)
        }
    }
}

/// What happens to slots that passed while no orchestrator was running.
public enum MissedRunPolicy: String, Sendable, Hashable, CaseIterable {
    /// Forget them; fire at the next slot.
    case skip
    /// Fire once, for the latest missed slot.
    case runOnce = "run_once"
}
