import AgentBase
import Yams

/// What the templates of a file may refer to: a workflow's inputs, steps and loops, or a webhook rule's request.
protocol TemplateNames {
    /// Why `path` cannot be resolved, or nil when it can.
    func problem(with path: [TemplateExpression.PathComponent]) -> String?
}

extension ReferenceNames: TemplateNames {}

extension YAMLFieldReader {
    /// A template string whose every field path `names` knows.
    func template(_ node: Node, field: String, names: some TemplateNames) throws(ConfigFileError) -> Template {
        guard let text = node.scalar?.string else { throw fail(node, field, "must be a template string such as \"{{ inputs.flag }}\"") }
        let template: Template
        do {
            template = try Template(parsing: text)
        } catch {
            throw fail(node, field, error.message)
        }
        for path in template.expressions.flatMap(\.paths) {
            if let problem = names.problem(with: path) { throw fail(node, field, problem) }
        }
        return template
    }

    /// A YAML value as a template value: strings with `{{` are templates, other scalars keep their YAML type.
    func value(_ node: Node, field: String, names: some TemplateNames) throws(ConfigFileError) -> TemplateValue {
        switch node {
        case .scalar(let scalar):
            if scalar.string.contains("{{") {
                return .template(try template(node, field: field, names: names))
            }
            return .literal(try json(node, field: field))
        case .sequence(let list):
            var items: [TemplateValue] = []
            for (index, item) in list.enumerated() { items.append(try value(item, field: "\(field)[\(index)]", names: names)) }
            return .array(items)
        case .mapping(let map):
            var members: [String: TemplateValue] = [:]
            for (key, item) in map {
                guard let name = key.string else { throw fail(key, field, "keys must be strings") }
                members[name] = try value(item, field: fieldPath(field, name), names: names)
            }
            return .object(members)
        case .alias:
            throw fail(node, field, "YAML aliases are not supported here")
        }
    }
}
