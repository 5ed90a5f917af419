import AgentBase
import ArgumentParser

/// The operator's command line: run the suite locally, publish work, follow tasks, inspect agents and dead letters.
@main
struct AgentCTL: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agentctl",
        abstract: "Operate a Switchboard suite: run it locally, send messages, follow tasks, inspect agents and dead letters.",
        discussion: "Reads REDIS_URL, SB_PREFIX and SB_REGISTRY from the environment, like every service.",
        version: SwitchboardVersion.current,
        subcommands: [Up.self, Send.self, Tail.self, TaskCommand.self, Cancel.self, Agents.self, DeadLetters.self, RegistryCommand.self, WorkflowsCommand.self, Runs.self, Schedules.self]
    )
}

/// Options every command that talks to Redis shares.
struct ConnectionOptions: ParsableArguments {
    @Option(name: .customLong("redis-url"), help: "Redis URL (default: $REDIS_URL or redis://127.0.0.1:6379/0).")
    var redisURL: String?

    @Option(help: "Key prefix (default: $SB_PREFIX or sb).")
    var prefix: String?

    @Option(help: "Registry file (default: $SB_REGISTRY or Registry/agents.yaml).")
    var registry: String?

    var environment: SwitchboardEnvironment {
        var environment = SwitchboardEnvironment()
        if let redisURL { environment.values["REDIS_URL"] = redisURL }
        if let prefix { environment.values["SB_PREFIX"] = prefix }
        if let registry { environment.values["SB_REGISTRY"] = registry }
        return environment
    }

    func bus() throws -> RedisBus {
        try RedisBus(environment: environment, connectTimeout: .seconds(3))
    }

    func loadRegistry() throws -> AgentRegistry {
        try AgentRegistry.load(path: environment.registryPath)
    }
}
