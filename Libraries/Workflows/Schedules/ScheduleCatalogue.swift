import AgentBase
import Foundation
import Yams

/// The schedules of `Registry/schedules.yaml` (`SB_SCHEDULES`); a missing file means no schedules.
public struct ScheduleCatalogue: Sendable, Hashable {
    public var schedules: [ScheduleDefinition]
    public var path: String

    public init(schedules: [ScheduleDefinition], path: String) {
        self.schedules = schedules
        self.path = path
    }

    /// Reads and validates the file (workflow names against `workflows`, message types against the registry).
    public static func load(path: String, registry: AgentRegistry, workflows: WorkflowCatalogue) throws(ConfigFileError) -> ScheduleCatalogue {
        guard FileManager.default.fileExists(atPath: path) else { return ScheduleCatalogue(schedules: [], path: path) }
        let parser = ScheduleParser(path: path, registry: registry, workflows: workflows)
        return try parser.parse(parser.readFile("the schedules file"))
    }

    /// Parses and validates `text` as if read from `path`.
    public static func parse(_ text: String, path: String = "schedules.yaml", registry: AgentRegistry, workflows: WorkflowCatalogue) throws(ConfigFileError) -> ScheduleCatalogue {
        try ScheduleParser(path: path, registry: registry, workflows: workflows).parse(text)
    }
}

/// Reads `schedules.yaml` so that every error names the file, the line and the field.
struct ScheduleParser: YAMLFieldReader {
    let path: String
    let registry: AgentRegistry
    let workflows: WorkflowCatalogue

    func parse(_ text: String) throws(ConfigFileError) -> ScheduleCatalogue {
        guard let root = try composeIfPresent(text) else { return ScheduleCatalogue(schedules: [], path: path) }
        guard let map = root.mapping else { throw fail(root, nil, "the file must be a mapping with 'version' and 'schedules'") }
        try checkKeys(map, allowed: ["version", "schedules"], field: "")
        guard try int(map, "version", field: "", default: 1, minimum: 1) == 1 else { throw fail(map["version"], "version", "only version 1 is known") }
        guard let node = map["schedules"], node.null == nil else { return ScheduleCatalogue(schedules: [], path: path) }
        guard let list = node.sequence else { throw fail(node, "schedules", "must be a list of schedules") }
        var schedules: [ScheduleDefinition] = []
        for (index, item) in list.enumerated() {
            let schedule = try self.schedule(item, field: "schedules[\(index)]")
            if schedules.contains(where: { $0.name == schedule.name }) {
                throw fail(item.mapping?["name"], "schedules[\(index)].name", "'\(schedule.name)' is used twice; schedule names must be unique")
            }
            schedules.append(schedule)
        }
        return ScheduleCatalogue(schedules: schedules, path: path)
    }

    private func schedule(_ node: Node, field: String) throws(ConfigFileError) -> ScheduleDefinition {
        guard let map = node.mapping else { throw fail(node, field, "must be a mapping with name, cron and a workflow or message") }
        try checkKeys(map, allowed: ["name", "description", "cron", "time_zone", "workflow", "inputs", "message", "payload", "jitter", "missed"], field: field)
        let name = try string(map, "name", field: field)
        guard name.wholeMatch(of: /[a-z][a-z0-9_-]*/) != nil else { throw fail(map["name"], "\(field).name", "schedule names are lower case letters, digits, '-' and '_'") }
        let cronText = try string(map, "cron", field: field)
        let cron: CronExpression
        do {
            cron = try CronExpression(parsing: cronText)
        } catch {
            throw fail(map["cron"], "\(field).cron", error.message)
        }
        let zoneName = try optionalString(map, "time_zone", field: field) ?? "UTC"
        guard let timeZone = TimeZone(identifier: zoneName) else {
            throw fail(map["time_zone"], "\(field).time_zone", "unknown time zone '\(zoneName)'; use an IANA name such as UTC or Europe/Berlin")
        }
        let target: ScheduleTarget
        switch (try optionalString(map, "workflow", field: field), try optionalString(map, "message", field: field)) {
        case (let workflow?, nil):
            guard let definition = workflows.workflow(named: workflow) else {
                throw fail(map["workflow"], "\(field).workflow", "no workflow named '\(workflow)' in \(workflows.path) (workflows: \(workflows.workflows.map(\.name).joined(separator: ", ")))")
            }
            if map["payload"] != nil { throw fail(map["payload"], "\(field).payload", "a workflow schedule takes 'inputs', not 'payload'") }
            let inputs = try map["inputs"].map { node throws(ConfigFileError) in try json(node, field: "\(field).inputs") } ?? [:]
            guard let values = inputs.objectValue else { throw fail(map["inputs"], "\(field).inputs", "must be a mapping of input names to values") }
            do {
                _ = try definition.resolveInputs(values)
            } catch {
                throw fail(map["inputs"] ?? map["workflow"], "\(field).inputs", error.message)
            }
            target = .workflow(workflow, inputs: values)
        case (nil, let type?):
            guard let agent = registry.agent(consuming: type) else { throw fail(map["message"], "\(field).message", "no agent in the registry consumes '\(type)'") }
            if map["inputs"] != nil { throw fail(map["inputs"], "\(field).inputs", "a message schedule takes 'payload', not 'inputs'") }
            let payload = try map["payload"].map { node throws(ConfigFileError) in try json(node, field: "\(field).payload") } ?? [:]
            guard payload.objectValue != nil else { throw fail(map["payload"], "\(field).payload", "must be a mapping (the message's JSON object)") }
            target = .message(type: type, agent: agent.name, stream: agent.stream, payload: payload)
        default:
            throw fail(node, field, "give exactly one of 'workflow' (with 'inputs') or 'message' (with 'payload')")
        }
        let missedText = try optionalString(map, "missed", field: field) ?? MissedRunPolicy.skip.rawValue
        guard let missed = MissedRunPolicy(rawValue: missedText) else {
            throw fail(map["missed"], "\(field).missed", "must be skip or run_once")
        }
        return ScheduleDefinition(
            name: name, description: try optionalString(map, "description", field: field) ?? "", cron: cron, timeZone: timeZone, target: target,
            jitter: try duration(map["jitter"], field: "\(field).jitter") ?? .zero, missed: missed
        )
    }
}
