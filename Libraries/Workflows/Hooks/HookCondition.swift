import AgentBase

/// One test of a webhook rule: a value of the JSON body (by JSON Pointer) or a header, and what it must be.
public struct HookCondition: Sendable, Hashable {
    /// Where the tested value comes from.
    public enum Subject: Sendable, Hashable {
        case pointer(JSONPointer)
        /// A request header, by name (case ignored); its value is a string.
        case header(String)
    }

    /// What the value must satisfy.
    public enum Test: Sendable, Hashable {
        /// Equal to this JSON value (numbers by value; a header compares as a string).
        case equals(JSONValue)
        /// Equal to one of these.
        case oneOf([JSONValue])
        /// Present (true) or absent (false); a JSON `null` counts as present.
        case exists(Bool)
        /// A list holding an element equal to this (or an object whose `name`, `key` or `id` is it), or a string holding it.
        case contains(JSONValue)
    }

    public var subject: Subject
    public var test: Test

    public init(subject: Subject, test: Test) {
        self.subject = subject
        self.test = test
    }

    /// Whether the condition holds for a request; `headers` are keyed by lower-cased name.
    public func holds(body: JSONValue, headers: [String: String]) -> Bool {
        let value: JSONValue? = switch subject {
        case .pointer(let pointer): pointer.resolve(in: body)
        case .header(let name): headers[name.lowercased()].map(JSONValue.string)
        }
        switch test {
        case .exists(let wanted):
            return (value != nil) == wanted
        case .equals(let expected):
            return value.map { Self.same($0, expected) } ?? false
        case .oneOf(let options):
            return value.map { found in options.contains { Self.same(found, $0) } } ?? false
        case .contains(let needle):
            switch value {
            case .array(let items)?:
                return items.contains { item in
                    Self.same(item, needle) || ["name", "key", "id"].contains { item[$0].map { Self.same($0, needle) } ?? false }
                }
            case .string(let text)?:
                return needle.stringValue.map { text.contains($0) } ?? false
            default:
                return false
            }
        }
    }

    /// JSON equality where a string header value also equals a number or boolean written the same way.
    static func same(_ found: JSONValue, _ expected: JSONValue) -> Bool {
        if found == expected { return true }
        if case .string(let text) = found, expected.stringValue == nil { return text == expected.jsonString }
        return false
    }
}
