/// One rule of the rules file: what it checks, in which files, how serious a finding is, and examples that test it.
public struct ReviewRule: Sendable {
    /// What a rule checks.
    public enum Check: Sendable {
        /// `pattern`: each added line is matched against the expression.
        case pattern(LinePattern)
        /// `entropy`: the matched part (first capture group) of an added line is a finding when it is at least
        /// `minLength` characters long and its Shannon entropy is at least `threshold` bits per character.
        case entropy(LinePattern, threshold: Double, minLength: Int)
        /// `large-file`: a file with more than `maxAddedLines` added lines.
        case largeFile(maxAddedLines: Int)
        /// `missing-tests`: source files in scope changed while no file under the rule set's `test_paths` did.
        case missingTests
        /// `flow`: a line matching `source` names a variable (first capture group) built from data (concatenation,
        /// interpolation, formatting), and one of the next `within` added lines of the file matches `sink` with that
        /// variable as its first capture group: string-built data reaching a query, a shell or `eval` a few lines later.
        /// `sourcePrefilter` is the literals a source line must hold.
        case flow(source: LinePattern, sink: LinePattern, within: Int, sourcePrefilter: LiteralPrefilter)
    }

    /// Lines that must and must not match, with the path they are checked under.
    public struct Examples: Sendable {
        public var path: String
        public var match: [String]
        public var noMatch: [String]
        /// For a rule with a fix: each `match` line as the fix leaves it, in order.
        public var fixed: [String]

        public init(path: String, match: [String] = [], noMatch: [String] = [], fixed: [String] = []) {
            self.path = path
            self.match = match
            self.noMatch = noMatch
            self.fixed = fixed
        }
    }

    public var id: String
    public var severity: Severity
    public var message: String
    public var check: Check
    public var scope: RuleScope
    /// Empty for file-level checks. A `flow` rule's examples are snippets of several lines.
    public var examples: Examples
    /// The literals a line must hold before the expression runs (for `flow`: the sink line).
    public var prefilter: LiteralPrefilter
    /// For a `pattern` rule with a mechanical fix: what each match is replaced with (`$1` names a group). The fixed
    /// line goes into the review as a suggestion the author can apply.
    public var fix: String?

    public init(id: String, severity: Severity, message: String, check: Check, scope: RuleScope = RuleScope(), examples: Examples = Examples(path: "example.txt"), prefilter: LiteralPrefilter = LiteralPrefilter()) {
        self.id = id
        self.severity = severity
        self.message = message
        self.check = check
        self.scope = scope
        self.examples = examples
        self.prefilter = prefilter
    }

    /// Whether an added line with this text breaks the rule (prefilter included); always false for file-level and
    /// flow checks.
    public func matches(line: String) -> Bool {
        prefilter.admits(line: line) && matches(ScanWindow.windows(of: line))
    }

    /// The same over a line already cut into windows (`ScanWindow.windows(of:)`, shared by every rule).
    func matches(_ windows: [ScanWindow]) -> Bool {
        switch check {
        case .pattern(let pattern):
            pattern.matches(windows)
        case .entropy(let pattern, let threshold, let minLength):
            pattern.matches(windows) { $0.count >= minLength && ShannonEntropy.bitsPerCharacter($0) >= threshold }
        case .largeFile, .missingTests, .flow:
            false
        }
    }

    /// Whether the rule is checked line by line.
    public var isLineRule: Bool {
        switch check {
        case .pattern, .entropy: true
        case .largeFile, .missingTests, .flow: false
        }
    }

    /// The added line with this rule's fix applied, or nil when the rule has no fix or the line does not match.
    public func fixed(line: String) -> String? {
        guard let fix, case .pattern(let pattern) = check, line.utf8.count <= ScanWindow.size else { return nil }
        return pattern.replacing(in: line, with: fix)
    }

    /// Whether the rule follows data across lines.
    public var isFlowRule: Bool {
        if case .flow = check { return true }
        return false
    }
}
