/// A payload that decoded but is not a valid message, e.g. a `pr.review` naming neither a PR nor two refs.
public struct MessageValidationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The wire type of the message, e.g. `pr.review`.
    public var type: String
    /// What is wrong, readable by the person who sent it.
    public var message: String

    public init(type: String, message: String) {
        self.type = type
        self.message = message
    }

    public var description: String { "\(type): \(message)" }

    /// Throws when an argv (e.g. `test_command`) is present but empty or starts with an empty program name.
    static func checkArgv(_ argv: [String]?, type: String, field: String = "test_command") throws(MessageValidationError) {
        guard let argv else { return }
        guard let program = argv.first, !program.isEmpty else {
            throw MessageValidationError(type: type, message: "\"\(field)\" must be an argv array starting with the program, e.g. [\"swift\", \"test\"]")
        }
    }
}
