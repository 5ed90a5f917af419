/// `task.cancel`: the control message asking whoever runs a task to stop it.
public struct TaskCancel: AgentMessage, Hashable {
    public typealias Result = TaskCancelResult
    public static let type = "task.cancel"

    /// Id of the task to cancel.
    public var task: String
    /// Why it is cancelled, shown to the person who asked.
    public var reason: String?

    enum CodingKeys: String, CodingKey {
        case task
        case reason
    }

    public init(task: String, reason: String? = nil) {
        self.task = task
        self.reason = reason
    }
}

/// The (empty) result of `task.cancel`; the cancelled task itself ends with `task.cancelled`.
public struct TaskCancelResult: Codable, Sendable, Hashable {
    public init() {}
}
