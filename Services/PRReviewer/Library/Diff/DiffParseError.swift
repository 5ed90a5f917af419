/// A diff that cannot be read, naming the line of the diff text and what was expected there.
public struct DiffParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// 1-based line in the diff text (or in the file's patch).
    public var line: Int
    public var message: String

    public init(line: Int, message: String) {
        self.line = line
        self.message = message
    }

    public var description: String { "diff line \(line): \(message)" }
}
