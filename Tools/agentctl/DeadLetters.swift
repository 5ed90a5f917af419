import AgentBase
import ArgumentParser
import Foundation

/// `agentctl dlq list|replay`.
struct DeadLetters: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "dlq", abstract: "Inspect and replay dead letters (sb:dlq:<agent>).", subcommands: [List.self, Replay.self])

    /// `agentctl dlq list <agent>`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List an agent's dead letters with their reasons.")

        @OptionGroup var connection: ConnectionOptions

        @Argument(help: "Agent name.")
        var agent: String

        @Option(help: "At most this many.")
        var count: Int = 100

        @Flag(help: "Print JSON.")
        var json = false

        func run() async throws {
            let bus = try connection.bus()
            defer { bus.close() }
            let letters = try await bus.deadLetters.deadLetters(agent: agent, count: count)
            if json {
                Output.json(letters.map { letter -> [String: Any] in
                    var object: [String: Any] = ["id": letter.id]
                    for (name, value) in letter.fields ?? [] where object[name] == nil { object[name] = value }
                    return object
                })
            } else {
                Output.table(["id", "type", "task", "attempts", "error", "reason"], letters.map {
                    [$0.id, $0["type"] ?? "-", $0["task"] ?? $0["entry"] ?? "-", $0["attempts"] ?? "-", $0["error"] ?? "-", String(($0["reason"] ?? "").prefix(100))]
                })
            }
        }
    }

    /// `agentctl dlq replay <agent> [<id>|--all]`.
    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Publish dead letters again as new tasks and remove them from the DLQ.")

        @OptionGroup var connection: ConnectionOptions

        @Argument(help: "Agent name.")
        var agent: String

        @Argument(help: "Dead letter id (from dlq list).")
        var id: String?

        @Flag(help: "Replay every dead letter of the agent.")
        var all = false

        @Flag(help: "Print JSON.")
        var json = false

        func validate() throws {
            if (id == nil) == !all { throw ValidationError("give a dead letter id or --all") }
        }

        func run() async throws {
            let registry = try connection.loadRegistry()
            guard let entry = registry.agent(named: agent) else { throw CommandFailure("no agent '\(agent)' in \(registry.path)") }
            let bus = try connection.bus()
            defer { bus.close() }
            let ids = all ? try await bus.deadLetters.deadLetters(agent: agent, count: 100_000).map(\.id) : [id!]
            let stream = connection.environment.keys.stream(relative: entry.stream)
            var replayed: [[String: String]] = []
            for letter in ids {
                let entryID = try await bus.deadLetters.replayDeadLetter(agent: agent, id: letter, stream: stream)
                replayed.append(["dead_letter": letter, "entry": entryID, "stream": stream])
            }
            if json { Output.json(replayed) } else {
                for item in replayed { print("replayed \(item["dead_letter"]!) as \(item["entry"]!) on \(stream)") }
                if replayed.isEmpty { print("no dead letters for \(agent)") }
            }
        }
    }
}
