import AgentBase
import ArgumentParser
import Foundation
import Workflows

/// `agentctl workflows`: the orchestrator's workflows with their inputs and steps.
struct WorkflowsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "workflows", abstract: "List the workflows of workflows.yaml (SB_WORKFLOWS) with their inputs and steps.")

    @OptionGroup var connection: ConnectionOptions

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        let environment = connection.environment
        let catalogue = try WorkflowCatalogue.load(path: environment.workflowsPath, registry: try connection.loadRegistry())
        let rows = catalogue.workflows.map { workflow -> [String: Any] in
            [
                "name": workflow.name, "description": workflow.description,
                "inputs": workflow.inputs.map { $0.required ? $0.name : "\($0.name)?" },
                "steps": workflow.allSteps.map { "\($0.name):\($0.type)" },
            ]
        }
        if json { return Output.json(rows) }
        Output.table(["workflow", "inputs (? optional)", "steps", "description"], rows.map { row in
            [row["name"] as? String ?? "", (row["inputs"] as? [String] ?? []).joined(separator: " "), (row["steps"] as? [String] ?? []).joined(separator: " → "), row["description"] as? String ?? ""]
        })
    }
}

/// `agentctl runs`: recent workflow runs, newest first, from `sb:runs`.
struct Runs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List recent workflow runs (newest first) with their status and current step.")

    @OptionGroup var connection: ConnectionOptions

    @Option(help: "How many runs to show.")
    var count = 20

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        let bus = try connection.bus()
        defer { bus.close() }
        let ids = try await bus.redis.send(["ZREVRANGE", bus.keys.runs, "0", String(max(count, 1) - 1)]).array?.compactMap(\.string) ?? []
        var rows: [[String: Any]] = []
        for id in ids {
            let fields = try await bus.redis.send(["HMGET", bus.keys.run(id), "workflow", "status", "step", "created_at", "updated_at"]).array?.map { $0.string ?? "" } ?? []
            guard fields.count == 5, !fields[0].isEmpty else { continue }
            rows.append(["run": id, "workflow": fields[0], "status": fields[1], "step": fields[2], "created_at": Self.time(fields[3]), "updated_at": Self.time(fields[4])])
        }
        if json { return Output.json(rows) }
        Output.table(["run", "workflow", "status", "step", "started", "updated"], rows.map { row in
            ["run", "workflow", "status", "step", "created_at", "updated_at"].map { row[$0] as? String ?? "" }
        })
    }

    /// Unix milliseconds as ISO-8601.
    static func time(_ milliseconds: String) -> String {
        Int64(milliseconds).map { Date(timeIntervalSince1970: Double($0) / 1000).formatted(.iso8601) } ?? ""
    }
}

/// `agentctl schedules`: the schedules with their next fire times and the last slot handled.
struct Schedules: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the schedules of schedules.yaml (SB_SCHEDULES) with next fire times.")

    @OptionGroup var connection: ConnectionOptions

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        let environment = connection.environment
        let registry = try connection.loadRegistry()
        let catalogue = try ScheduleCatalogue.load(
            path: environment.schedulesPath, registry: registry, workflows: try WorkflowCatalogue.load(path: environment.workflowsPath, registry: registry)
        )
        let bus = try connection.bus()
        defer { bus.close() }
        let now = Date()
        var rows: [[String: Any]] = []
        for schedule in catalogue.schedules {
            let last = try await bus.redis.send(["GET", bus.keys.scheduleLast(schedule.name)]).string.flatMap { Double($0) }
            var target = schedule.target.published.type
            if case .workflow(let name, _) = schedule.target { target = "workflow \(name)" }
            rows.append([
                "name": schedule.name, "cron": schedule.cron.source, "time_zone": schedule.timeZone.identifier, "target": target,
                "missed": schedule.missed.rawValue, "next_fire": schedule.nextFire(after: now)?.formatted(.iso8601) ?? "",
                "last_slot": last.map { Date(timeIntervalSince1970: $0).formatted(.iso8601) } ?? "",
            ])
        }
        if json { return Output.json(rows) }
        Output.table(["schedule", "cron", "time zone", "publishes", "missed", "next fire", "last slot"], rows.map { row in
            ["name", "cron", "time_zone", "target", "missed", "next_fire", "last_slot"].map { row[$0] as? String ?? "" }
        })
    }
}
