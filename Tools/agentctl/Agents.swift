import AgentBase
import ArgumentParser
import Foundation

/// `agentctl agents`: the registry joined with live heartbeats.
struct Agents: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the registry's agents with their live instances.")

    @OptionGroup var connection: ConnectionOptions

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        let registry = try connection.loadRegistry()
        let broker = try connection.broker()
        defer { broker.close() }
        var rows: [[String]] = []
        var objects: [[String: Any]] = []
        for agent in registry.agents {
            let live = try await broker.liveInstances(agent: agent.name)
            rows.append([
                agent.name, agent.consumes.joined(separator: ","), agent.commands.map { "/\($0.name)" }.joined(separator: " "),
                String(live.count), String(live.map(\.inFlight).reduce(0, +)), String(live.map(\.processed).reduce(0, +)),
            ])
            objects.append([
                "name": agent.name, "description": agent.description, "stream": connection.environment.keys.stream(relative: agent.stream),
                "consumes": agent.consumes, "keywords": agent.keywords, "concurrency": agent.concurrency,
                "timeout_s": Double(agent.timeout.milliseconds) / 1000, "visibility_timeout_s": Double(agent.visibilityTimeout.milliseconds) / 1000,
                "max_attempts": agent.maxAttempts, "model": agent.model as Any,
                "commands": agent.commands.map { ["name": $0.name, "message": $0.message, "usage": $0.usage, "description": $0.description] },
                "instances": live.map { [
                    "instance": $0.instance, "host": $0.host, "pid": $0.pid, "version": $0.version, "started": $0.started,
                    "in_flight": $0.inFlight, "processed": $0.processed, "failed": $0.failed,
                ] },
            ])
        }
        if json { Output.json(objects) } else { Output.table(["agent", "consumes", "commands", "live", "in-flight", "processed"], rows) }
    }
}
