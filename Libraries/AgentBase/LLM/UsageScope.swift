/// Whose model usage a call counts against: the task, its agent, its conversation and its user.
public struct UsageScope: Sendable, Hashable {
    public var task: String
    public var agent: String
    public var conversation: String?
    /// Derived from the envelope's `source` by `user(fromSource:)`; nil when the request has no source.
    public var user: String?

    public init(task: String, agent: String, conversation: String? = nil, user: String? = nil) {
        self.task = task
        self.agent = agent
        self.conversation = conversation
        self.user = user
    }

    /// The scope of a running task.
    public init(context: TaskContext) {
        self.init(task: context.task, agent: context.agent, conversation: context.envelope.conversation, user: context.envelope.source.flatMap(Self.user(fromSource:)))
    }

    /// The user a `source` stands for: `telegram:<chat>` and `api:<client>` as they are, a Slack source without
    /// its thread (`slack:<team>/<channel>`), a GitHub source without its issue number (`github:<repo>`).
    public static func user(fromSource source: String) -> String? {
        var user = Substring(source)
        if source.hasPrefix("slack:"), let slash = user.lastIndex(of: "/"), user[..<slash].contains("/") { user = user[..<slash] }
        if source.hasPrefix("github:"), let hash = user.firstIndex(of: "#") { user = user[..<hash] }
        return user.isEmpty ? nil : String(user)
    }
}
