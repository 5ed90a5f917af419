import Foundation
import Yams

/// Reads `agents.yaml` node by node so every error can name its line and field path.
struct RegistryParser: YAMLFieldReader {
    let path: String

    private static let agentKeys: Set<String> = ["name", "description", "stream", "consumes", "commands", "keywords", "concurrency", "timeout", "visibility_timeout", "max_attempts", "backoff", "model", "fallback_model", "permissions"]
    private static let commandKeys: Set<String> = ["name", "message", "usage", "description", "arguments", "workflow", "permission"]
    private static let argumentKeys: Set<String> = ["name", "description", "required"]
    private static var namePattern: Regex<Substring> { /^[a-z][a-z0-9-]*$/ }
    private static var typePattern: Regex<(Substring, Substring)> { /^[a-z][a-z0-9_]*(\.[a-z0-9_*]+)+$/ }

    func parse(_ text: String) throws(RegistryError) -> AgentRegistry {
        let root = try compose(text)
        guard let top = root.mapping else { throw fail(root, nil, "expected a mapping with 'version' and 'agents'") }
        try checkKeys(top, allowed: ["version", "agents", "prices"], field: "")
        guard let version = top["version"], version.int == 1 else { throw fail(top["version"] ?? root, "version", "must be 1") }
        guard let agentsNode = top["agents"], let list = agentsNode.sequence else { throw fail(top["agents"] ?? root, "agents", "must be a list of agents") }
        var agents: [AgentEntry] = []
        var names: [String: Int] = [:]
        var commandOwners: [String: String] = [:]
        for (index, node) in list.enumerated() {
            let field = "agents[\(index)]"
            let agent = try parseAgent(node, field: field)
            if let first = names[agent.name] { throw fail(node["name"] ?? node, "\(field).name", "duplicate agent '\(agent.name)' (first at agents[\(first)])") }
            names[agent.name] = index
            for (commandIndex, command) in agent.commands.enumerated() {
                if let owner = commandOwners[command.name] {
                    throw fail(node["commands"]?.sequence?[commandIndex] ?? node, "\(field).commands[\(commandIndex)].name", "command '/\(command.name)' is already offered by '\(owner)'")
                }
                commandOwners[command.name] = agent.name
            }
            agents.append(agent)
        }
        if agents.isEmpty { throw fail(agentsNode, "agents", "lists no agents") }
        var prices: [String: ModelPrice] = [:]
        if let node = top["prices"] { prices = try parsePrices(node) }
        return AgentRegistry(agents: agents, path: path, prices: prices)
    }

    private func parseAgent(_ node: Node, field: String) throws(RegistryError) -> AgentEntry {
        guard let map = node.mapping else { throw fail(node, field, "expected a mapping") }
        try checkKeys(map, allowed: Self.agentKeys, field: field)
        let name = try string(map, "name", field: field)
        guard name.wholeMatch(of: Self.namePattern) != nil else { throw fail(map["name"], "\(field).name", "'\(name)' must be lower-case letters, digits and dashes") }
        let consumes = try strings(map, "consumes", field: field)
        if consumes.isEmpty { throw fail(map["consumes"] ?? node, "\(field).consumes", "must list at least one message type") }
        for (index, type) in consumes.enumerated() where type.wholeMatch(of: Self.typePattern) == nil {
            throw fail(map["consumes"]?.sequence?[index], "\(field).consumes[\(index)]", "'\(type)' is not a dotted message type like 'pr.review'")
        }
        var entry = AgentEntry(name: name, consumes: consumes)
        entry.description = try optionalString(map, "description", field: field) ?? ""
        if let stream = try optionalString(map, "stream", field: field) { entry.stream = stream }
        entry.keywords = try optionalStrings(map, "keywords", field: field)
        entry.model = try optionalString(map, "model", field: field)
        entry.fallbackModel = try optionalString(map, "fallback_model", field: field)
        entry.concurrency = try int(map, "concurrency", field: field, default: entry.concurrency, minimum: 1)
        entry.maxAttempts = try int(map, "max_attempts", field: field, default: entry.maxAttempts, minimum: 1)
        entry.timeout = try duration(map["timeout"], "\(field).timeout") ?? entry.timeout
        entry.visibilityTimeout = try duration(map["visibility_timeout"], "\(field).visibility_timeout") ?? max(entry.visibilityTimeout, entry.timeout * 2)
        if entry.visibilityTimeout <= entry.timeout {
            throw fail(map["visibility_timeout"] ?? node, "\(field).visibility_timeout", "must be longer than timeout (\(entry.timeout)), or a slow handler's message is taken over while it still runs")
        }
        if let backoff = map["backoff"] {
            guard let backoffMap = backoff.mapping else { throw fail(backoff, "\(field).backoff", "expected {initial, max}") }
            try checkKeys(backoffMap, allowed: ["initial", "max"], field: "\(field).backoff")
            entry.backoffInitial = try duration(backoffMap["initial"], "\(field).backoff.initial") ?? entry.backoffInitial
            entry.backoffMax = try duration(backoffMap["max"], "\(field).backoff.max") ?? entry.backoffMax
            if entry.backoffMax < entry.backoffInitial { throw fail(backoff, "\(field).backoff.max", "must not be shorter than initial") }
        }
        if let node = map["permissions"] { entry.permissions = try parsePermissions(node, field: "\(field).permissions", consumes: consumes) }
        if let commandsNode = map["commands"] {
            guard let list = commandsNode.sequence else { throw fail(commandsNode, "\(field).commands", "must be a list") }
            for (index, commandNode) in list.enumerated() {
                entry.commands.append(try parseCommand(commandNode, field: "\(field).commands[\(index)]", consumes: consumes))
            }
        }
        return entry
    }

    private func parseCommand(_ node: Node, field: String, consumes: [String]) throws(RegistryError) -> CommandSpec {
        guard let map = node.mapping else { throw fail(node, field, "expected a mapping") }
        try checkKeys(map, allowed: Self.commandKeys, field: field)
        let name = try string(map, "name", field: field)
        if name.hasPrefix("/") { throw fail(map["name"], "\(field).name", "write the command without the slash ('\(name.dropFirst())')") }
        let message = try string(map, "message", field: field)
        if !consumes.contains(message) { throw fail(map["message"], "\(field).message", "'\(message)' is not one of this agent's consumes (\(consumes.joined(separator: ", ")))") }
        var command = CommandSpec(name: name, message: message, usage: try string(map, "usage", field: field))
        command.description = try optionalString(map, "description", field: field) ?? ""
        command.workflow = try optionalString(map, "workflow", field: field)
        if let node = map["permission"] { command.permission = try permission(node, field: "\(field).permission") }
        if command.workflow != nil, message != WorkflowRunRequest.type {
            throw fail(map["workflow"], "\(field).workflow", "only a \(WorkflowRunRequest.type) command names a workflow (this one publishes \(message))")
        }
        if let arguments = map["arguments"] {
            guard let list = arguments.sequence else { throw fail(arguments, "\(field).arguments", "must be a list") }
            for (index, argumentNode) in list.enumerated() {
                let argumentField = "\(field).arguments[\(index)]"
                guard let argument = argumentNode.mapping else { throw fail(argumentNode, argumentField, "expected {name, description, required}") }
                try checkKeys(argument, allowed: Self.argumentKeys, field: argumentField)
                var spec = ArgumentSpec(name: try string(argument, "name", field: argumentField))
                spec.description = try optionalString(argument, "description", field: argumentField) ?? ""
                spec.required = try bool(argument, "required", field: argumentField, default: spec.required)
                command.arguments.append(spec)
            }
        }
        return command
    }

    /// `permissions:` maps a consumed type to `read|write|admin`, or to `{permission, admin_when: [field, …]}`.
    private func parsePermissions(_ node: Node, field: String, consumes: [String]) throws(RegistryError) -> [String: MessagePermission] {
        guard let map = node.mapping else { throw fail(node, field, "expected a mapping of message type to read, write or admin") }
        var rules: [String: MessagePermission] = [:]
        for (keyNode, value) in map {
            let type = keyNode.string ?? ""
            let entryField = "\(field).\(type)"
            guard consumes.contains(type) else { throw fail(keyNode, entryField, "'\(type)' is not one of this agent's consumes (\(consumes.joined(separator: ", ")))") }
            if value.scalar != nil {
                rules[type] = MessagePermission(try permission(value, field: entryField))
                continue
            }
            guard let rule = value.mapping else { throw fail(value, entryField, "expected read, write, admin or {permission, admin_when}") }
            try checkKeys(rule, allowed: ["permission", "admin_when"], field: entryField)
            var base = Permission.write
            if let node = rule["permission"] { base = try permission(node, field: "\(entryField).permission") }
            rules[type] = MessagePermission(base, adminWhen: try optionalStrings(rule, "admin_when", field: entryField))
        }
        return rules
    }

    private func permission(_ node: Node, field: String) throws(RegistryError) -> Permission {
        guard let text = node.string, let permission = Permission(rawValue: text) else {
            throw fail(node, field, "'\(node.string ?? "")' is not a permission (read, write or admin)")
        }
        return permission
    }

    /// `prices:` maps a model name to `{input_per_mtok, output_per_mtok}` in US dollars per million tokens.
    private func parsePrices(_ node: Node) throws(RegistryError) -> [String: ModelPrice] {
        guard let map = node.mapping else { throw fail(node, "prices", "expected a mapping of model name to {input_per_mtok, output_per_mtok}") }
        var prices: [String: ModelPrice] = [:]
        for (keyNode, value) in map {
            guard let model = keyNode.scalar?.string, !model.isEmpty else { throw fail(keyNode, "prices", "a model name must be a non-empty string") }
            let field = "prices.\(model)"
            guard let entry = value.mapping else { throw fail(value, field, "expected {input_per_mtok, output_per_mtok}") }
            try checkKeys(entry, allowed: ["input_per_mtok", "output_per_mtok"], field: field)
            prices[model] = ModelPrice(inputPerMTok: try dollars(entry, "input_per_mtok", field: field, in: value), outputPerMTok: try dollars(entry, "output_per_mtok", field: field, in: value))
        }
        return prices
    }

    // MARK: Field readers

    private func dollars(_ map: Node.Mapping, _ key: String, field: String, in parent: Node) throws(RegistryError) -> Double {
        guard let node = map[key] else { throw fail(parent, "\(field).\(key)", "is required (US dollars per million tokens)") }
        guard let value = node.scalar.flatMap({ Double($0.string) }), value >= 0, value.isFinite else {
            throw fail(node, "\(field).\(key)", "must be a non-negative number of US dollars per million tokens")
        }
        return value
    }

    private func duration(_ node: Node?, _ field: String) throws(RegistryError) -> Duration? {
        guard let node else { return nil }
        guard let text = node.scalar?.string, let value = DurationParser.parse(text), value > .zero else {
            throw fail(node, field, "must be a positive duration: seconds as a number, or '500ms', '30s', '10m', '1h'")
        }
        return value
    }
}

/// Parses `30`, `1.5`, `500ms`, `30s`, `10m`, `1h`, `7d`.
public enum DurationParser {
    public static func parse(_ text: String) -> Duration? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400)]
        for (suffix, scale) in units where trimmed.hasSuffix(suffix) {
            guard let number = Double(trimmed.dropLast(suffix.count)) else { continue }
            return .milliseconds(Int((number * scale * 1000).rounded()))
        }
        guard let seconds = Double(trimmed) else { return nil }
        return .milliseconds(Int((seconds * 1000).rounded()))
    }
}
