import AgentBase
import Yams

/// Reads `workflows.yaml` node by node so that every error names the file, the line and the field.
struct WorkflowParser: YAMLFieldReader {
    let path: String
    let registry: AgentRegistry

    func parse(_ text: String) throws(ConfigFileError) -> WorkflowCatalogue {
        let root = try compose(text)
        guard let map = root.mapping else { throw fail(root, nil, "the file must be a mapping with 'version' and 'workflows'") }
        try checkKeys(map, allowed: ["version", "workflows"], field: "")
        guard try int(map, "version", field: "", default: 1, minimum: 1) == 1 else { throw fail(map["version"], "version", "only version 1 is known") }
        guard let node = map["workflows"] else { throw fail(root, "workflows", "is required") }
        guard let workflows = node.mapping else { throw fail(node, "workflows", "must be a mapping of workflow names to workflows") }
        var definitions: [WorkflowDefinition] = []
        for (key, value) in workflows {
            guard let name = key.string, name.wholeMatch(of: /[a-z][a-z0-9_]*/) != nil else {
                throw fail(key, "workflows", "workflow names are lower case letters, digits and '_' (like workflow.run's 'workflow'), not '\(key.string ?? "?")'")
            }
            definitions.append(try workflow(name, value, field: "workflows.\(name)"))
        }
        return WorkflowCatalogue(workflows: definitions, path: path)
    }

    private func workflow(_ name: String, _ node: Node, field: String) throws(ConfigFileError) -> WorkflowDefinition {
        guard let map = node.mapping else { throw fail(node, field, "must be a mapping with 'steps'") }
        try checkKeys(map, allowed: ["description", "inputs", "steps", "cleanup", "output"], field: field)
        let inputs = try self.inputs(map["inputs"], field: "\(field).inputs")
        let names = try referenceNames(map, inputs: inputs, field: field)
        guard let stepsNode = map["steps"] else { throw fail(node, "\(field).steps", "is required") }
        guard let list = stepsNode.sequence, !list.isEmpty else { throw fail(stepsNode, "\(field).steps", "must be a non-empty list of steps") }
        var items: [WorkflowItem] = []
        for (index, item) in list.enumerated() {
            let itemField = "\(field).steps[\(index)]"
            if let itemMap = item.mapping, let loop = itemMap["loop"] {
                try checkKeys(itemMap, allowed: ["loop"], field: itemField)
                items.append(.loop(try self.loop(loop, field: "\(itemField).loop", names: names)))
            } else {
                items.append(.step(try step(item, field: itemField, names: names)))
            }
        }
        var cleanup: [StepDefinition] = []
        if let cleanupNode = map["cleanup"] {
            guard let list = cleanupNode.sequence else { throw fail(cleanupNode, "\(field).cleanup", "must be a list of steps") }
            for (index, item) in list.enumerated() { cleanup.append(try step(item, field: "\(field).cleanup[\(index)]", names: names)) }
        }
        let output = try map["output"].map { node throws(ConfigFileError) in try value(node, field: "\(field).output", names: names) }
        let definition = WorkflowDefinition(name: name, description: try optionalString(map, "description", field: field) ?? "", inputs: inputs, items: items, cleanup: cleanup, output: output)
        return definition
    }

    /// The names templates may refer to, collected before the steps are read so that a step may name a later one
    /// (a loop's `until`, say); a name used twice is an error at its second use.
    private func referenceNames(_ map: Node.Mapping, inputs: [WorkflowInput], field: String) throws(ConfigFileError) -> ReferenceNames {
        var names = ReferenceNames(inputs: Set(inputs.map(\.name)))
        func add(_ node: Node?, loop: Bool = false, cleanup: Bool = false) throws(ConfigFileError) {
            guard let name = node?.mapping?["name"]?.string else { return }
            guard !names.steps.contains(name), !names.loops.contains(name) else {
                throw fail(node?.mapping?["name"], field, "the name '\(name)' is used twice; step and loop names must be unique in a workflow")
            }
            if loop { names.loops.insert(name) } else { names.steps.insert(name) }
            if cleanup { names.cleanup.insert(name) }
        }
        for item in map["steps"]?.sequence.map(Array.init) ?? [] {
            if let loop = item.mapping?["loop"] {
                try add(loop, loop: true)
                for inner in loop.mapping?["steps"]?.sequence.map(Array.init) ?? [] { try add(inner) }
            } else {
                try add(item)
            }
        }
        for item in map["cleanup"]?.sequence.map(Array.init) ?? [] { try add(item, cleanup: true) }
        return names
    }

    private func inputs(_ node: Node?, field: String) throws(ConfigFileError) -> [WorkflowInput] {
        guard let node else { return [] }
        guard let map = node.mapping else { throw fail(node, field, "must be a mapping of input names to {required, default, description}") }
        var inputs: [WorkflowInput] = []
        for (key, value) in map {
            guard let name = key.string, name.wholeMatch(of: /[a-z][a-z0-9_]*/) != nil else { throw fail(key, field, "input names are lower case letters, digits and '_'") }
            let inputField = "\(field).\(name)"
            if value.null != nil {
                inputs.append(WorkflowInput(name: name, description: "", required: true, defaultValue: nil))
                continue
            }
            guard let spec = value.mapping else { throw fail(value, inputField, "must be a mapping {required, default, description} (or empty)") }
            try checkKeys(spec, allowed: ["required", "default", "description"], field: inputField)
            let defaultValue = try spec["default"].map { node throws(ConfigFileError) in try json(node, field: "\(inputField).default") }
            let required = try bool(spec, "required", field: inputField, default: defaultValue == nil)
            if required, defaultValue != nil { throw fail(spec["required"], "\(inputField).required", "an input with a default is not required") }
            inputs.append(WorkflowInput(name: name, description: try optionalString(spec, "description", field: inputField) ?? "", required: required, defaultValue: defaultValue))
        }
        return inputs
    }

    private func loop(_ node: Node, field: String, names: ReferenceNames) throws(ConfigFileError) -> LoopDefinition {
        guard let map = node.mapping else { throw fail(node, field, "must be a mapping with name, until, max_iterations and steps") }
        try checkKeys(map, allowed: ["name", "until", "max_iterations", "steps"], field: field)
        let name = try string(map, "name", field: field)
        guard let untilNode = map["until"] else { throw fail(node, "\(field).until", "is required (the condition that ends the loop)") }
        guard let maxNode = map["max_iterations"] else { throw fail(node, "\(field).max_iterations", "is required: every loop is bounded") }
        let maxIterations = try value(maxNode, field: "\(field).max_iterations", names: names)
        if case .literal(let number) = maxIterations, (number.intValue ?? 0) < 1 {
            throw fail(maxNode, "\(field).max_iterations", "must be a whole number of at least 1 or a template")
        }
        guard let stepsNode = map["steps"], let list = stepsNode.sequence, !list.isEmpty else {
            throw fail(map["steps"] ?? node, "\(field).steps", "must be a non-empty list of steps")
        }
        var steps: [StepDefinition] = []
        for (index, item) in list.enumerated() { steps.append(try step(item, field: "\(field).steps[\(index)]", names: names)) }
        return LoopDefinition(name: name, until: try template(untilNode, field: "\(field).until", names: names), maxIterations: maxIterations, steps: steps)
    }

    private func step(_ node: Node, field: String, names: ReferenceNames) throws(ConfigFileError) -> StepDefinition {
        guard let map = node.mapping else { throw fail(node, field, "must be a mapping with name, type and payload (or a loop)") }
        try checkKeys(map, allowed: ["name", "type", "payload", "if", "timeout", "retry", "on_failure"], field: field)
        let name = try string(map, "name", field: field)
        guard name.wholeMatch(of: /[a-z][a-z0-9_]*/) != nil else { throw fail(map["name"], "\(field).name", "step names are lower case letters, digits and '_'") }
        let type = try string(map, "type", field: field)
        guard let agent = registry.agent(consuming: type) else {
            throw fail(map["type"], "\(field).type", "no agent in the registry consumes '\(type)'")
        }
        let payload = try map["payload"].map { node throws(ConfigFileError) in try value(node, field: "\(field).payload", names: names) } ?? .literal([:])
        let condition = try map["if"].map { node throws(ConfigFileError) in try template(node, field: "\(field).if", names: names) }
        let timeout = try duration(map["timeout"], field: "\(field).timeout")
        var retry = RetryPolicy.once
        if let retryNode = map["retry"] {
            guard let retryMap = retryNode.mapping else { throw fail(retryNode, "\(field).retry", "must be a mapping {attempts, backoff}") }
            try checkKeys(retryMap, allowed: ["attempts", "backoff"], field: "\(field).retry")
            retry.attempts = try int(retryMap, "attempts", field: "\(field).retry", default: 1, minimum: 1)
            retry.backoff = try duration(retryMap["backoff"], field: "\(field).retry.backoff") ?? .seconds(1)
        }
        var onFailure = FailurePolicy.stop
        switch try optionalString(map, "on_failure", field: field) {
        case nil, "stop": break
        case "continue": onFailure = .continue
        case let name?:
            guard names.cleanup.contains(name) else {
                throw fail(map["on_failure"], "\(field).on_failure", "must be stop, continue or the name of a step under 'cleanup' (\(names.cleanup.sorted().joined(separator: ", ")))")
            }
            onFailure = .cleanup(name)
        }
        return StepDefinition(name: name, type: type, agent: agent.name, stream: agent.stream, payload: payload, condition: condition, timeout: timeout, retry: retry, onFailure: onFailure)
    }
}
