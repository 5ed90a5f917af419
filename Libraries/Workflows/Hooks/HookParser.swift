import AgentBase
import Yams

/// Reads `webhooks.yaml` node by node so that every error names the file, the line and the field.
struct HookParser: YAMLFieldReader {
    let path: String
    let registry: AgentRegistry
    let workflows: WorkflowCatalogue

    /// What a rule's templates may read: the request's `body`, `headers` (lower-case names) and `hook` (`name`, `rule`).
    struct Names: TemplateNames {
        func problem(with path: [TemplateExpression.PathComponent]) -> String? {
            guard case .key(let root)? = path.first, ["body", "headers", "hook"].contains(root) else {
                return "'\(path.dotted)' must start with body, headers or hook"
            }
            return nil
        }
    }

    func parse(_ text: String) throws(ConfigFileError) -> HookCatalogue {
        guard let root = try composeIfPresent(text) else { return HookCatalogue(endpoints: [], path: path) }
        guard let map = root.mapping else { throw fail(root, nil, "the file must be a mapping with 'version' and 'endpoints'") }
        try checkKeys(map, allowed: ["version", "endpoints"], field: "")
        guard try int(map, "version", field: "", default: 1, minimum: 1) == 1 else { throw fail(map["version"], "version", "only version 1 is known") }
        guard let node = map["endpoints"] else { return HookCatalogue(endpoints: [], path: path) }
        guard let endpoints = node.mapping else { throw fail(node, "endpoints", "must be a mapping of endpoint names to endpoints") }
        var definitions: [HookEndpoint] = []
        for (key, value) in endpoints {
            guard let name = key.string, name.wholeMatch(of: /[a-z0-9][a-z0-9_-]*/) != nil else {
                throw fail(key, "endpoints", "endpoint names are lower case letters, digits, '-' and '_' (the path /webhooks/hooks/<name>), not '\(key.string ?? "?")'")
            }
            definitions.append(try endpoint(name, value, field: "endpoints.\(name)"))
        }
        return HookCatalogue(endpoints: definitions, path: path)
    }

    private func endpoint(_ name: String, _ node: Node, field: String) throws(ConfigFileError) -> HookEndpoint {
        guard let map = node.mapping else { throw fail(node, field, "must be a mapping with verify and rules") }
        try checkKeys(map, allowed: ["description", "verify", "role", "rules"], field: field)
        let verification = try map["verify"].map { node throws(ConfigFileError) in try verify(node, field: "\(field).verify") }
        var role = Role.operator
        if let text = try optionalString(map, "role", field: field) {
            guard let parsed = Role(rawValue: text) else { throw fail(map["role"], "\(field).role", "'\(text)' is not a role (viewer, operator or admin)") }
            role = parsed
        }
        guard let rulesNode = map["rules"] else { throw fail(node, "\(field).rules", "is required") }
        guard let list = rulesNode.sequence, !list.isEmpty else { throw fail(rulesNode, "\(field).rules", "must be a non-empty list of rules") }
        var rules: [HookRule] = []
        for (index, item) in list.enumerated() {
            let rule = try self.rule(item, field: "\(field).rules[\(index)]")
            guard !rules.contains(where: { $0.name == rule.name }) else { throw fail(item, "\(field).rules[\(index)].name", "the name '\(rule.name)' is used twice") }
            rules.append(rule)
        }
        return HookEndpoint(name: name, description: try optionalString(map, "description", field: field) ?? "", verification: verification, role: role, rules: rules)
    }

    private func verify(_ node: Node, field: String) throws(ConfigFileError) -> HookVerification {
        guard let map = node.mapping, map.count == 1, let (key, value) = map.first, let kind = key.string, let spec = value.mapping else {
            throw fail(node, field, "must be one of {hmac_sha256: {header, secret, prefix?}} or {token: {header, secret}}")
        }
        let inner = "\(field).\(kind)"
        let secret: String
        switch kind {
        case "hmac_sha256":
            try checkKeys(spec, allowed: ["header", "secret", "prefix"], field: inner)
            secret = try string(spec, "secret", field: inner)
            try checkVariable(secret, spec["secret"], field: "\(inner).secret")
            return .hmacSHA256(header: try string(spec, "header", field: inner), secret: secret, prefix: spec["prefix"]?.string ?? "")
        case "token":
            try checkKeys(spec, allowed: ["header", "secret"], field: inner)
            secret = try string(spec, "secret", field: inner)
            try checkVariable(secret, spec["secret"], field: "\(inner).secret")
            return .token(header: try string(spec, "header", field: inner), secret: secret)
        default:
            throw fail(key, field, "'\(kind)' is not a verification (hmac_sha256 or token)")
        }
    }

    /// Secrets are named by environment variable, never written in the file.
    private func checkVariable(_ name: String, _ node: Node?, field: String) throws(ConfigFileError) {
        guard name.wholeMatch(of: /[A-Z][A-Z0-9_]*/) != nil else {
            throw fail(node, field, "must name an environment variable holding the secret (e.g. JIRA_WEBHOOK_SECRET; NAME_FILE works too), not the secret itself")
        }
    }

    private func rule(_ node: Node, field: String) throws(ConfigFileError) -> HookRule {
        guard let map = node.mapping else { throw fail(node, field, "must be a mapping with name, when and one of message, workflow or notify") }
        try checkKeys(map, allowed: ["name", "when", "message", "workflow", "notify", "idempotency_key", "chat"], field: field)
        let name = try string(map, "name", field: field)
        var conditions: [HookCondition] = []
        if let whenNode = map["when"] {
            guard let list = whenNode.sequence else { throw fail(whenNode, "\(field).when", "must be a list of conditions") }
            for (index, item) in list.enumerated() { conditions.append(try condition(item, field: "\(field).when[\(index)]")) }
        }
        let chat = try optionalString(map, "chat", field: field)
        if let chat, HookDestination(chat) == nil {
            throw fail(map["chat"], "\(field).chat", "must be telegram:<chat id> or slack:<team>/<channel>, not '\(chat)'")
        }
        let tasks = ["message", "workflow"].filter { map[$0] != nil }
        guard tasks.count <= 1, !tasks.isEmpty || map["notify"] != nil else {
            throw fail(node, field, "needs one of message or workflow, and/or notify (has \(tasks.isEmpty ? "none" : tasks.joined(separator: " and ")))")
        }
        var action: HookRule.Action?
        if let spec = map["message"] {
            let inner = "\(field).message"
            guard let spec = spec.mapping else { throw fail(map["message"], inner, "must be a mapping {type, payload}") }
            try checkKeys(spec, allowed: ["type", "payload"], field: inner)
            let type = try string(spec, "type", field: inner)
            guard registry.agent(consuming: type) != nil else { throw fail(spec["type"], "\(inner).type", "no agent in the registry consumes '\(type)'") }
            action = .message(type: type, payload: try spec["payload"].map { node throws(ConfigFileError) in try value(node, field: "\(inner).payload", names: Names()) } ?? .literal([:]))
        } else if let spec = map["workflow"] {
            action = try workflow(spec, field: "\(field).workflow")
        }
        var notify: Template?
        if let notifyNode = map["notify"] {
            guard chat != nil else { throw fail(notifyNode, "\(field).chat", "a rule with notify needs a chat to send to") }
            notify = try template(notifyNode, field: "\(field).notify", names: Names())
        }
        let key = try map["idempotency_key"].map { node throws(ConfigFileError) in try template(node, field: "\(field).idempotency_key", names: Names()) }
        return HookRule(name: name, conditions: conditions, action: action, notify: notify, idempotencyKey: key, chat: chat)
    }

    /// `{name, inputs}` of a workflow the catalogue has, with its required inputs given and no unknown ones.
    private func workflow(_ node: Node, field: String) throws(ConfigFileError) -> HookRule.Action {
        guard let spec = node.mapping else { throw fail(node, field, "must be a mapping {name, inputs}") }
        try checkKeys(spec, allowed: ["name", "inputs"], field: field)
        let workflow = try string(spec, "name", field: field)
        guard let definition = workflows.workflow(named: workflow) else {
            throw fail(spec["name"], "\(field).name", "unknown workflow '\(workflow)' (workflows: \(workflows.workflows.map(\.name).joined(separator: ", ")))")
        }
        let inputs = try spec["inputs"].map { node throws(ConfigFileError) in try value(node, field: "\(field).inputs", names: Names()) } ?? .literal([:])
        if case .object(let members) = inputs {
            for name in members.keys.sorted() where !definition.inputs.contains(where: { $0.name == name }) {
                throw fail(spec["inputs"], "\(field).inputs.\(name)", "workflow '\(workflow)' has no input '\(name)'")
            }
            for input in definition.inputs where input.required && members[input.name] == nil {
                throw fail(spec["inputs"] ?? spec["name"], "\(field).inputs", "workflow '\(workflow)' requires the input '\(input.name)'")
            }
        }
        return .workflow(name: workflow, inputs: inputs)
    }

    private func condition(_ node: Node, field: String) throws(ConfigFileError) -> HookCondition {
        guard let map = node.mapping else { throw fail(node, field, "must be a mapping such as {pointer: /action, equals: created}") }
        try checkKeys(map, allowed: ["pointer", "header", "equals", "in", "exists", "contains"], field: field)
        let subject: HookCondition.Subject
        switch (map["pointer"], map["header"]) {
        case (let pointerNode?, nil):
            guard let text = pointerNode.string, let pointer = JSONPointer(text) else {
                throw fail(pointerNode, "\(field).pointer", "must be a JSON Pointer such as /issue/fields/labels (RFC 6901)")
            }
            subject = .pointer(pointer)
        case (nil, let headerNode?):
            guard let name = headerNode.string, !name.isEmpty else { throw fail(headerNode, "\(field).header", "must be a header name") }
            subject = .header(name)
        default:
            throw fail(node, field, "needs exactly one of pointer or header")
        }
        let tests = ["equals", "in", "exists", "contains"].filter { map[$0] != nil }
        guard tests.count == 1, let testNode = map[tests[0]] else {
            throw fail(node, field, "needs exactly one test: equals, in, exists or contains")
        }
        let testField = "\(field).\(tests[0])"
        switch tests[0] {
        case "equals":
            return HookCondition(subject: subject, test: .equals(try json(testNode, field: testField)))
        case "in":
            guard case .array(let options) = try json(testNode, field: testField) else { throw fail(testNode, testField, "must be a list of values") }
            return HookCondition(subject: subject, test: .oneOf(options))
        case "exists":
            guard let flag = testNode.bool else { throw fail(testNode, testField, "must be true or false") }
            return HookCondition(subject: subject, test: .exists(flag))
        default:
            return HookCondition(subject: subject, test: .contains(try json(testNode, field: testField)))
        }
    }
}
