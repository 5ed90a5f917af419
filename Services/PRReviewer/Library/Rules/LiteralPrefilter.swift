/// The literals a line must hold (any one, ASCII case ignored) before a rule's regular expression is run on it: most
/// lines hold none, so they never reach an expression. Empty: every line goes on to the expression.
public struct LiteralPrefilter: Sendable {
    /// The literals, ASCII-lower-cased, as bytes.
    private let literals: [[UInt8]]

    public init(_ literals: [String] = []) {
        self.literals = literals.map { Array($0.utf8).map(Self.lower) }
    }

    public var isEmpty: Bool { literals.isEmpty }

    /// Whether the line (its `LiteralPrefilter.lowered` bytes) holds one of the literals.
    public func admits(_ lowered: [UInt8]) -> Bool {
        literals.isEmpty || literals.contains { Self.contains(lowered, $0) }
    }

    /// Whether `line` holds one of the literals.
    public func admits(line: String) -> Bool {
        admits(Self.lowered(line))
    }

    /// The first `limit` bytes of a line with ASCII letters lower-cased: computed once per line and shared by every rule.
    public static func lowered(_ line: String, limit: Int = Int.max) -> [UInt8] {
        line.utf8.prefix(limit).map(lower)
    }

    private static func lower(_ byte: UInt8) -> UInt8 {
        byte >= 65 && byte <= 90 ? byte | 0x20 : byte
    }

    /// A plain first-byte scan. (The standard library's `firstRange(of:)` was measured at 1,900 diff lines/s in
    /// review-bench against 150,000 with this: it is not specialised for byte arrays.)
    private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard let first = needle.first, needle.count <= haystack.count else { return needle.isEmpty }
        var index = 0
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == first {
                var offset = 1
                while offset < needle.count && haystack[index + offset] == needle[offset] { offset += 1 }
                if offset == needle.count { return true }
            }
            index += 1
        }
        return false
    }
}
