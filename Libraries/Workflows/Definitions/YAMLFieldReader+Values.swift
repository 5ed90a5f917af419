import AgentBase
import Yams

extension YAMLFieldReader {
    /// A positive duration such as `30s`, `10m` or `1h`, or nil when the node is absent.
    func duration(_ node: Node?, field: String) throws(ConfigFileError) -> Duration? {
        guard let node else { return nil }
        guard let text = node.scalar?.string, let value = DurationParser.parse(text), value > .zero else {
            throw fail(node, field, "must be a duration such as 30s, 10m or 1h")
        }
        return value
    }

    /// A YAML value as JSON: quoted scalars are strings, plain ones keep their YAML type.
    func json(_ node: Node, field: String) throws(ConfigFileError) -> JSONValue {
        switch node {
        case .scalar(let scalar):
            if scalar.style != .plain { return .string(scalar.string) }
            if node.null != nil { return .null }
            if let flag = node.bool { return .bool(flag) }
            if let number = node.int { return .number(Double(number)) }
            if let number = node.float { return .number(number) }
            return .string(scalar.string)
        case .sequence(let list):
            var items: [JSONValue] = []
            for (index, item) in list.enumerated() { items.append(try json(item, field: "\(field)[\(index)]")) }
            return .array(items)
        case .mapping(let map):
            var members: [String: JSONValue] = [:]
            for (key, item) in map {
                guard let name = key.string else { throw fail(key, field, "keys must be strings") }
                members[name] = try json(item, field: fieldPath(field, name))
            }
            return .object(members)
        case .alias:
            throw fail(node, field, "YAML aliases are not supported here")
        }
    }
}
