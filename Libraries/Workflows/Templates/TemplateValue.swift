import AgentBase

/// A JSON-shaped value whose strings may be templates: a step's payload, a workflow's output.
public indirect enum TemplateValue: Sendable, Hashable {
    case literal(JSONValue)
    case template(Template)
    case array([TemplateValue])
    case object([String: TemplateValue])

    /// The value in `scope`. Members of an object that render to `null` are left out, so an input that was not
    /// given does not reach a message as an explicit `null`.
    public func render(_ scope: JSONValue) throws(TemplateError) -> JSONValue {
        switch self {
        case .literal(let value):
            return value
        case .template(let template):
            return try template.render(scope)
        case .array(let items):
            var values: [JSONValue] = []
            for item in items { values.append(try item.render(scope)) }
            return .array(values)
        case .object(let members):
            var values: [String: JSONValue] = [:]
            for (key, member) in members {
                let value = try member.render(scope)
                if !value.isNull { values[key] = value }
            }
            return .object(values)
        }
    }

    /// Every template inside the value.
    public var templates: [Template] {
        switch self {
        case .literal: []
        case .template(let template): [template]
        case .array(let items): items.flatMap(\.templates)
        case .object(let members): members.keys.sorted().flatMap { members[$0]!.templates }
        }
    }
}
