/// One registry entry joined with its live instances: what `GET /v1/agents` and `agentctl agents --json` show.
public struct AgentOverview: Codable, Sendable, Hashable {
    /// A chat command as listed to people.
    public struct Command: Codable, Sendable, Hashable {
        public var name: String
        public var message: String
        public var usage: String
        public var description: String
    }

    public var name: String
    public var description: String
    /// The full stream key, e.g. `sb:in:scraper`.
    public var stream: String
    public var consumes: [String]
    public var commands: [Command]
    public var keywords: [String]
    public var concurrency: Int
    public var timeoutSeconds: Double
    public var visibilityTimeoutSeconds: Double
    public var maxAttempts: Int
    public var model: String?
    public var instances: [Heartbeat]

    enum CodingKeys: String, CodingKey {
        case name, description, stream, consumes, commands, keywords, concurrency, model, instances
        case timeoutSeconds = "timeout_s"
        case visibilityTimeoutSeconds = "visibility_timeout_s"
        case maxAttempts = "max_attempts"
    }

    public init(entry: AgentEntry, keys: KeySpace, instances: [Heartbeat]) {
        name = entry.name
        description = entry.description
        stream = keys.stream(relative: entry.stream)
        consumes = entry.consumes
        commands = entry.commands.map { Command(name: $0.name, message: $0.message, usage: $0.usage, description: $0.description) }
        keywords = entry.keywords
        concurrency = entry.concurrency
        timeoutSeconds = Double(entry.timeout.milliseconds) / 1000
        visibilityTimeoutSeconds = Double(entry.visibilityTimeout.milliseconds) / 1000
        maxAttempts = entry.maxAttempts
        model = entry.model
        self.instances = instances
    }

    /// Every agent of the registry with the instances whose heartbeats are fresh.
    public static func list(_ registry: AgentRegistry, liveness: any Liveness, keys: KeySpace) async throws -> [AgentOverview] {
        var overviews: [AgentOverview] = []
        for entry in registry.agents {
            overviews.append(AgentOverview(entry: entry, keys: keys, instances: try await liveness.liveInstances(agent: entry.name)))
        }
        return overviews
    }
}
