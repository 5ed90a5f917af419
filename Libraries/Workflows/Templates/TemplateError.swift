/// A template that cannot be parsed (at load time) or evaluated (at run time), in words a workflow author can act on.
public struct TemplateError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
