import AgentBase

/// The review rules, loaded and validated from `Registry/review-rules.yaml`.
public struct RuleSet: Sendable {
    /// Where the shipped rules file sits, relative to the repository root.
    public static let defaultPath = "Registry/review-rules.yaml"

    public var rules: [ReviewRule]
    /// Where test files live (`test_paths`): for `missing-tests` and for rules with `skip_tests`.
    public var testPaths: [PathGlob]
    /// Where it was read from.
    public var path: String

    public init(rules: [ReviewRule], testPaths: [PathGlob] = [], path: String = "review-rules.yaml") {
        self.rules = rules
        self.testPaths = testPaths
        self.path = path
    }

    /// The rule ids, for validating `.switchboard.yml`.
    public var ids: Set<String> { Set(rules.map(\.id)) }

    /// The rule with this id.
    public func rule(id: String) -> ReviewRule? {
        rules.first { $0.id == id }
    }

    /// Whether `path` is a test file.
    public func isTest(_ path: String) -> Bool {
        PathGlob.any(testPaths, match: path)
    }

    /// Loads and validates a rules file; errors name the file, line and field.
    public static func load(path: String) throws(ConfigFileError) -> RuleSet {
        let parser = RuleSetParser(path: path)
        return try parser.parse(parser.readFile("the review rules file"))
    }

    /// Parses and validates rules YAML text.
    public static func parse(_ text: String, path: String = "review-rules.yaml") throws(ConfigFileError) -> RuleSet {
        try RuleSetParser(path: path).parse(text)
    }
}
