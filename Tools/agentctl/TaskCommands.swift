import AgentBase
import ArgumentParser
import Foundation

/// `agentctl task <id>`: the task hash.
struct TaskCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "task", abstract: "Show a task's state (sb:task:<id>).")

    @OptionGroup var options: TaskOptions

    func run() async throws {
        let (connection, id, json) = (options.connection, options.id, options.json)
        let bus = try connection.bus()
        defer { bus.close() }
        guard let snapshot = try await bus.tasks.task(id) else {
            throw CommandFailure("no task \(id) (unknown, or expired after its TTL)")
        }
        if json {
            var object: [String: Any] = ["id": id]
            for (key, value) in snapshot.fields { object[key] = ["result"].contains(key) ? Output.parsed(value) : value }
            Output.json(object)
        } else {
            Output.table(["field", "value"], [["id", id]] + snapshot.fields.sorted { $0.key < $1.key }.map { [$0.key, $0.value] })
        }
    }
}

/// `agentctl cancel <id>`.
struct Cancel: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Cancel a task: at once if it has not started, else its agent stops the handler.")

    @OptionGroup var options: TaskOptions

    func run() async throws {
        let (connection, id, json) = (options.connection, options.id, options.json)
        let bus = try connection.bus()
        defer { bus.close() }
        let outcome: String
        switch try await bus.tasks.requestCancel(task: id) {
        case .unknownTask: throw CommandFailure("no task \(id)")
        case .alreadyEnded(let status): outcome = "already ended: \(status?.rawValue ?? "?")"
        case .cancelled: outcome = "cancelled (it had not started)"
        case .requested: outcome = "cancel requested; the agent stops the handler"
        }
        if json { Output.json(["task": id, "outcome": outcome]) } else { print("\(id): \(outcome)") }
    }
}

/// The arguments of the commands that act on one task.
struct TaskOptions: ParsableArguments {
    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "Task id.")
    var id: String

    @Flag(help: "Print JSON.")
    var json = false
}
