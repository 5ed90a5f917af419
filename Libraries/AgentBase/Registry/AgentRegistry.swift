import Foundation
import Yams

/// The whole of `Registry/agents.yaml`, loaded and validated.
public struct AgentRegistry: Sendable, Hashable {
    public var agents: [AgentEntry]
    /// Where it was read from.
    public var path: String
    /// Model prices of the top-level `prices:` table, by model name.
    public var prices: [String: ModelPrice]

    public init(agents: [AgentEntry], path: String = "agents.yaml", prices: [String: ModelPrice] = [:]) {
        self.agents = agents
        self.path = path
        self.prices = prices
    }

    /// The agent with this name.
    public func agent(named name: String) -> AgentEntry? {
        agents.first { $0.name == name }
    }

    /// The agent that consumes this message type (the first, if several do).
    public func agent(consuming type: String) -> AgentEntry? {
        agents.first { $0.consumes.contains(type) }
    }

    /// The agent and command for `/name`.
    public func command(named name: String) -> (agent: AgentEntry, command: CommandSpec)? {
        for agent in agents {
            if let command = agent.commands.first(where: { $0.name == name }) { return (agent, command) }
        }
        return nil
    }

    /// What publishing `type` with `payload` needs: the command's own permission (when the request is that chat
    /// command and it declares one) or the type's, raised to `admin` by the type's `admin_when` fields.
    public func permission(for type: String, payload: JSONValue, command: CommandSpec? = nil) -> Permission {
        let rule = agent(consuming: type)?.permissions[type] ?? MessagePermission()
        return rule.required(for: payload, base: command?.permission)
    }

    /// Loads and validates a registry file; errors name the file, line and field.
    public static func load(path: String) throws(RegistryError) -> AgentRegistry {
        let parser = RegistryParser(path: path)
        return try parser.parse(parser.readFile("the registry file (set SB_REGISTRY to its path)"))
    }

    /// Parses and validates registry YAML text.
    public static func parse(_ text: String, path: String = "agents.yaml") throws(RegistryError) -> AgentRegistry {
        try RegistryParser(path: path).parse(text)
    }
}

/// A problem in the registry file, pointing at the file, line and field.
public typealias RegistryError = ConfigFileError
