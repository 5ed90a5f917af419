import AgentBase

/// A finding from any source, the rules or a model, at a place in the change.
public struct ReviewFinding: Sendable, Hashable {
    /// Who produced a finding.
    public enum Source: Sendable, Hashable {
        case rules
        case model
    }

    /// The rule id of model findings, so `.switchboard.yml` can disable them like a rule.
    public static let modelRule = "llm"

    public var path: String
    /// 1-based line in the new file; nil for a finding about the whole file.
    public var line: Int?
    public var severity: Severity
    public var rule: String
    public var message: String
    public var source: Source
    /// The line as a mechanical fix would leave it (a rule's `fix`), posted as a suggestion the author can apply.
    public var suggestion: String?

    public init(path: String, line: Int?, severity: Severity, rule: String, message: String, source: Source = .rules, suggestion: String? = nil) {
        self.path = path
        self.line = line
        self.severity = severity
        self.rule = rule
        self.message = message
        self.source = source
        self.suggestion = suggestion
    }

    /// The finding as it goes into the `pr.review` result.
    public var result: PRReviewResult.Finding {
        PRReviewResult.Finding(path: path, line: line, severity: severity, rule: rule, message: message)
    }

    /// `path:line`, or the path alone.
    public var location: String {
        line.map { "\(path):\($0)" } ?? path
    }
}
