import AgentBase

/// The filters of the template language (`{{ value | filter: argument }}`).
public enum TemplateFilter: String, Sendable, Hashable, CaseIterable {
    /// `default: x`: `x` when the value is null (missing).
    case `default`
    /// `json`: the value as compact JSON text.
    case json
    /// `length`: the number of elements, members or characters (0 for null).
    case length
    /// `join: ", "`: the elements of a list as one string.
    case join
    /// `at_least: warning`: the findings (objects with a `severity`) at that severity or above (info < warning < error).
    case atLeast = "at_least"
    /// `format: "{path}:{line} {message}"`: each object (or the object) as text, `{field}` replaced by its member.
    case format
    /// `empty`: true when the value is null, false, 0, "", [] or {}.
    case empty
    /// `not`: the opposite of the value's truth.
    case not
    /// `first`, `last`: an end of a list (null when empty); `last: 3` (`first: 3`) the last (first) three elements as a list.
    case first, last

    /// Whether the filter takes an argument: required, optional or not at all.
    var argument: (allowed: Bool, required: Bool) {
        switch self {
        case .default, .atLeast, .format: (true, true)
        case .join, .first, .last: (true, false)
        case .json, .length, .empty, .not: (false, false)
        }
    }

    /// The severity levels `at_least` knows, lowest first.
    public static let severities = ["info", "warning", "error"]

    func apply(to value: JSONValue, argument: JSONValue?) throws(TemplateError) -> JSONValue {
        switch self {
        case .default:
            return value.isNull ? (argument ?? .null) : value
        case .json:
            return .string(value.jsonString)
        case .length:
            switch value {
            case .null: return 0
            case .array(let items): return .number(Double(items.count))
            case .object(let members): return .number(Double(members.count))
            case .string(let text): return .number(Double(text.count))
            default: throw TemplateError("length: expected a list, object or string, got \(value.jsonString)")
            }
        case .join:
            let separator = argument?.stringValue ?? ", "
            guard let items = value.arrayValue else {
                if value.isNull { return "" }
                throw TemplateError("join: expected a list, got \(value.jsonString)")
            }
            return .string(items.map(\.text).joined(separator: separator))
        case .atLeast:
            guard let level = argument?.stringValue, let minimum = Self.severities.firstIndex(of: level) else {
                throw TemplateError("at_least: the argument must be one of \(Self.severities.joined(separator: ", "))")
            }
            guard let items = value.arrayValue else {
                if value.isNull { return [] }
                throw TemplateError("at_least: expected a list of findings, got \(value.jsonString)")
            }
            return .array(items.filter { item in
                item["severity"]?.stringValue.flatMap { Self.severities.firstIndex(of: $0) }.map { $0 >= minimum } ?? false
            })
        case .format:
            guard let pattern = argument?.stringValue else { throw TemplateError("format: the argument must be a string") }
            if let items = value.arrayValue { return .array(items.map { .string(Self.format(pattern, $0)) }) }
            return .string(Self.format(pattern, value))
        case .empty, .not:
            return .bool(!value.isTruthy)
        case .first, .last:
            guard let argument else { return (self == .first ? value.arrayValue?.first : value.arrayValue?.last) ?? .null }
            guard let count = argument.intValue, count >= 0 else { throw TemplateError("\(rawValue): the argument must be a whole number of elements") }
            let items = value.arrayValue ?? []
            return .array(Array(self == .first ? items.prefix(count) : items.suffix(count)))
        }
    }

    private static func format(_ pattern: String, _ value: JSONValue) -> String {
        var text = ""
        var rest = Substring(pattern)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            text += rest[..<open]
            let name = String(rest[rest.index(after: open)..<close])
            text += value[name]?.text ?? ""
            rest = rest[rest.index(after: close)...]
        }
        return text + rest
    }
}

extension JSONValue {
    /// False for null, false, 0, "", [] and {}; true otherwise.
    public var isTruthy: Bool {
        switch self {
        case .null: false
        case .bool(let flag): flag
        case .number(let number): number != 0
        case .string(let text): !text.isEmpty
        case .array(let items): !items.isEmpty
        case .object(let members): !members.isEmpty
        }
    }

    /// The value as text inside a string: strings as they are, null as nothing, the rest as JSON.
    var text: String {
        switch self {
        case .string(let text): text
        case .null: ""
        default: jsonString
        }
    }
}
