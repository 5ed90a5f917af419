/// One agent of `Registry/agents.yaml`: what it consumes, its chat commands and its limits.
public struct AgentEntry: Sendable, Hashable, Codable {
    public var name: String
    public var description: String
    /// Stream key relative to the prefix, e.g. `in:scraper`.
    public var stream: String
    public var consumes: [String]
    public var commands: [CommandSpec]
    public var keywords: [String]
    public var concurrency: Int
    public var timeout: Duration
    public var visibilityTimeout: Duration
    public var maxAttempts: Int
    public var backoffInitial: Duration
    public var backoffMax: Duration
    public var model: String?
    /// The model tried once when `model` fails with a retryable error after its retries.
    public var fallbackModel: String?
    /// What each consumed type needs (`permissions:`); a type not listed needs `write`.
    public var permissions: [String: MessagePermission] = [:]

    public init(name: String, description: String = "", stream: String? = nil, consumes: [String], commands: [CommandSpec] = [], keywords: [String] = [], concurrency: Int = 4, timeout: Duration = .seconds(300), visibilityTimeout: Duration = .seconds(600), maxAttempts: Int = 3, backoffInitial: Duration = .seconds(1), backoffMax: Duration = .seconds(60), model: String? = nil, fallbackModel: String? = nil) {
        self.name = name
        self.description = description
        self.stream = stream ?? "in:\(name)"
        self.consumes = consumes
        self.commands = commands
        self.keywords = keywords
        self.concurrency = concurrency
        self.timeout = timeout
        self.visibilityTimeout = visibilityTimeout
        self.maxAttempts = maxAttempts
        self.backoffInitial = backoffInitial
        self.backoffMax = backoffMax
        self.model = model
        self.fallbackModel = fallbackModel
    }
}

/// A chat command an agent offers, e.g. `/review <owner/repo> <number>`.
public struct CommandSpec: Sendable, Hashable, Codable {
    /// Without the slash.
    public var name: String
    /// The message type the command publishes.
    public var message: String
    public var usage: String
    public var description: String
    public var arguments: [ArgumentSpec]
    /// For a `workflow.run` command: the workflow it runs; the arguments become the workflow's inputs.
    public var workflow: String?
    /// What the command needs, when it differs from its message type's (`/run` is `admin`, `/create-pr` `write`).
    public var permission: Permission?

    public init(name: String, message: String, usage: String, description: String = "", arguments: [ArgumentSpec] = [], workflow: String? = nil, permission: Permission? = nil) {
        self.name = name
        self.message = message
        self.usage = usage
        self.description = description
        self.arguments = arguments
        self.workflow = workflow
        self.permission = permission
    }
}

/// One argument of a chat command.
public struct ArgumentSpec: Sendable, Hashable, Codable {
    public var name: String
    public var description: String
    public var required: Bool

    public init(name: String, description: String = "", required: Bool = true) {
        self.name = name
        self.description = description
        self.required = required
    }
}
