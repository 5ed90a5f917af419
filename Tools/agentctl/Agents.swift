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
        let bus = try connection.bus()
        defer { bus.close() }
        let overviews = try await AgentOverview.list(registry, liveness: bus.liveness, keys: bus.keys)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            Output.line(String(decoding: try encoder.encode(overviews), as: UTF8.self))
        } else {
            Output.table(["agent", "consumes", "commands", "live", "in-flight", "processed"], overviews.map { agent in
                [
                    agent.name, agent.consumes.joined(separator: ","), agent.commands.map { "/\($0.name)" }.joined(separator: " "),
                    String(agent.instances.count), String(agent.instances.map(\.inFlight).reduce(0, +)), String(agent.instances.map(\.processed).reduce(0, +)),
                ]
            })
        }
    }
}
