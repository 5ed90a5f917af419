import AgentBase
import ArgumentParser
import Foundation

/// `agentctl tail`: follow `sb:events`.
struct Tail: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Follow task events (sb:events) as they happen.")

    @OptionGroup var connection: ConnectionOptions

    @Option(help: "Start after this event id ('0' for the whole history; default: only new events).")
    var from: String = "$"

    @Option(help: "Only this task's events.")
    var task: String?

    @Option(help: "Only this agent's events.")
    var agent: String?

    @Option(help: "Stop after this many events.")
    var limit: Int?

    @Flag(help: "One JSON object per line.")
    var json = false

    func run() async throws {
        let environment = connection.environment
        let bus = try connection.bus()
        defer { bus.close() }
        var after = from == "$" ? try await bus.events.lastEventID(stream: environment.keys.events) : from
        var shown = 0
        while true {
            let events = try await bus.events.events(stream: environment.keys.events, after: after, count: 500, block: .seconds(2))
            if let last = events.last { after = last.id }
            for event in events where (task == nil || event.task == task) && (agent == nil || event.agent == agent) {
                if json { Output.jsonLine(Output.event(event)) } else { Output.line(Output.eventLine(event)) }
                shown += 1
                if let limit, shown >= limit { return }
            }
        }
    }
}
