/// One Redis command as binary-safe arguments (`["XADD", "sb:in:x", "*", …]`).
public struct RedisCommand: Sendable, Hashable, ExpressibleByArrayLiteral {
    /// The arguments, the command name first, each passed with its length (so any bytes are safe).
    public var arguments: [[UInt8]]

    public init(_ arguments: [String]) {
        self.arguments = arguments.map { Array($0.utf8) }
    }

    public init(bytes: [[UInt8]]) {
        self.arguments = bytes
    }

    public init(arrayLiteral elements: String...) {
        self.init(elements)
    }

    /// The command name, for logs and errors (never the arguments, which may hold secrets).
    public var name: String {
        arguments.first.map { String(decoding: $0, as: UTF8.self).uppercased() } ?? ""
    }
}
