import AgentBase

/// An RFC 6901 JSON Pointer (`/issue/fields/labels/0`): `~1` stands for `/`, `~0` for `~`; `""` is the whole document.
public struct JSONPointer: Sendable, Hashable, CustomStringConvertible {
    /// The unescaped reference tokens.
    public let tokens: [String]
    public let description: String

    /// Parses `text`; nil when it is neither empty nor starts with `/`, or holds a `~` not followed by `0` or `1`.
    public init?(_ text: String) {
        guard text.isEmpty || text.hasPrefix("/") else { return nil }
        var tokens: [String] = []
        for raw in text.split(separator: "/", omittingEmptySubsequences: false).dropFirst() {
            var token = ""
            var escaped = false
            for character in raw {
                if escaped {
                    guard character == "0" || character == "1" else { return nil }
                    token.append(character == "0" ? "~" : "/")
                    escaped = false
                } else if character == "~" {
                    escaped = true
                } else {
                    token.append(character)
                }
            }
            if escaped { return nil }
            tokens.append(token)
        }
        self.tokens = tokens
        self.description = text
    }

    /// The value the pointer names in `document`, or nil when it names nothing (a missing member, an index past the end).
    public func resolve(in document: JSONValue) -> JSONValue? {
        var value = document
        for token in tokens {
            switch value {
            case .object(let members):
                guard let member = members[token] else { return nil }
                value = member
            case .array(let items):
                guard let index = Int(token), token == String(index), items.indices.contains(index) else { return nil }
                value = items[index]
            default:
                return nil
            }
        }
        return value
    }
}
