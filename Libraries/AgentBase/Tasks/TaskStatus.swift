/// The states of a task, stored upper-case in the `status` field of `sb:task:<id>`.
public enum TaskStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case queued = "QUEUED"
    case running = "RUNNING"
    case completed = "COMPLETED"
    case failed = "FAILED"
    case cancelled = "CANCELLED"

    /// Whether the task has ended; an ended task is never started again.
    public var isTerminal: Bool {
        switch self {
        case .completed, .failed, .cancelled: return true
        case .queued, .running: return false
        }
    }

    /// QUEUED → RUNNING → COMPLETED | FAILED | CANCELLED; RUNNING → RUNNING is a retry; a task that
    /// never started may still fail (rejected) or be cancelled. `nil` is a task with no hash yet.
    /// The Lua scripts in `TaskScripts` enforce the same table inside Redis.
    public static func canTransition(from old: TaskStatus?, to new: TaskStatus) -> Bool {
        switch (old, new) {
        case (nil, .queued), (nil, .running), (.queued, .running), (.running, .running): return true
        case (.running, .completed): return true
        case (nil, .failed), (.queued, .failed), (.running, .failed): return true
        case (nil, .cancelled), (.queued, .cancelled), (.running, .cancelled): return true
        default: return false
        }
    }

    /// The event published on `sb:events` when a task enters this state.
    public var eventType: String {
        switch self {
        case .queued: return "task.queued"
        case .running: return "task.started"
        case .completed: return "task.completed"
        case .failed: return "task.failed"
        case .cancelled: return "task.cancelled"
        }
    }
}
