/// One entry of `sb:events` (or a `reply_to` stream): a task lifecycle event.
public struct TaskEvent: Sendable, Hashable {
    /// The stream entry id.
    public var id: String
    /// `task.queued`, `task.started`, `task.progress`, `task.completed`, `task.failed`, `task.cancelled`.
    public var type: String
    public var task: String
    public var agent: String
    /// JSON text: the result for `task.completed`, `{error, reason, retryable}` for `task.failed`, `{message, percent?}` for progress.
    public var payload: String
    public var source: String?
    public var conversation: String?
    /// The type of the request the task runs (`todos.scrape`, …).
    public var requestType: String?
    /// On `task.completed`: the result in words for people, written by the agent (see `ReadableResult`); readers show
    /// it as it is and need not know the result's type.
    public var text: String?

    public init(id: String, type: String, task: String, agent: String, payload: String, source: String? = nil, conversation: String? = nil, requestType: String? = nil, text: String? = nil) {
        self.id = id
        self.type = type
        self.task = task
        self.agent = agent
        self.payload = payload
        self.source = source
        self.conversation = conversation
        self.requestType = requestType
        self.text = text
    }

    /// The event a stream entry holds.
    public init(entry: StreamEntry) {
        self.init(
            id: entry.id, type: entry["type"] ?? "", task: entry["task"] ?? "", agent: entry["agent"] ?? "",
            payload: entry["payload"] ?? "{}", source: entry["source"], conversation: entry["conversation"], requestType: entry["request_type"],
            text: entry["text"]
        )
    }

    /// Whether this event ends its task.
    public var isTerminal: Bool {
        type == "task.completed" || type == "task.failed" || type == "task.cancelled"
    }
}

/// What `sb:task:<id>` holds, read back as a whole.
public struct TaskSnapshot: Sendable, Hashable {
    public var id: String
    public var fields: [String: String]

    public init(id: String, fields: [String: String]) {
        self.id = id
        self.fields = fields
    }

    public var status: TaskStatus? { fields["status"].flatMap(TaskStatus.init(rawValue:)) }
    public var attempts: Int { fields["attempts"].flatMap(Int.init) ?? 0 }
    public var result: String? { fields["result"] }
    public var error: String? { fields["error"] }
}
