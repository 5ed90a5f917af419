import AgentBase
import Yams

extension YAMLFieldReader {
    /// `error`, `warning` or `info`; `value` when the key is absent (then nil means required).
    func severity(_ map: Node.Mapping, _ key: String, field: String, default value: Severity? = nil) throws(ConfigFileError) -> Severity {
        guard let node = map[key] else {
            guard let value else { throw fail(map.first?.key, fieldPath(field, key), "is required") }
            return value
        }
        guard let severity = node.scalar.flatMap({ Severity(rawValue: $0.string) }) else {
            throw fail(node, fieldPath(field, key), "must be one of \(Severity.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return severity
    }
}
