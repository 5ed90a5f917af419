/// The outcome of running a project's test command (used by `code.write`, `repo.merge` and `repo.rebase` results).
public struct TestRunReport: Codable, Sendable, Hashable {
    /// Whether the command exited with status 0 within its time limit.
    public var passed: Bool
    /// The last lines of combined stdout and stderr.
    public var outputTail: String
    /// The argv that was run, when it is worth reporting (e.g. inferred rather than given).
    public var command: [String]?

    enum CodingKeys: String, CodingKey {
        case passed
        case outputTail = "output_tail"
        case command
    }

    public init(passed: Bool, outputTail: String, command: [String]? = nil) {
        self.passed = passed
        self.outputTail = outputTail
        self.command = command
    }
}
