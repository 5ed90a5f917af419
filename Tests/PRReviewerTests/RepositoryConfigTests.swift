import AgentBase
import PRReviewer
import Testing

/// `.switchboard.yml` in the reviewed repository: parsing, errors that name the line, and its effect on a review.
struct RepositoryConfigTests {
    @Test("the review section: disabled rules, ignored paths, severity threshold; other sections are left alone")
    func parse() throws {
        let text = """
        assistant:
          tone: brief
        review:
          disable: [todo-added, llm]
          ignore: ["docs/", "*.snap"]
          severity_threshold: warning
        """
        let config = try RepositoryConfig.parse(text, knownRules: try TestData.rules().ids.union([ReviewFinding.modelRule]))
        #expect(config.disabledRules == ["todo-added", "llm"])
        #expect(config.ignore.map(\.pattern) == ["docs/", "*.snap"])
        #expect(config.severityThreshold == .warning)
    }

    @Test("an empty file, a file of comments, or no review section is the default")
    func defaults() throws {
        for text in ["", "# nothing yet\n", "assistant: {}\n", "review:\n"] {
            #expect(try RepositoryConfig.parse(text) == RepositoryConfig())
        }
    }

    @Test("errors name the line and the field", arguments: [
        ("review:\n  disable: [no-such-rule]\n", 2, "review.disable[0]", "unknown rule 'no-such-rule'"),
        ("review:\n  severity_threshold: high\n", 2, "review.severity_threshold", "must be one of error, warning, info"),
        ("review:\n  ignored: [docs/]\n", 2, "review.ignored", "unknown field"),
        ("review:\n  ignore: docs/\n", 2, "review.ignore", "must be a list of strings"),
        ("review: [a]\n", 1, "review", "expected {disable, ignore, severity_threshold, on_open, on_push}"),
        ("review:\n  disable: [a\n", 3, nil, "not valid YAML"),
    ])
    func errors(text: String, line: Int, field: String?, message: String) throws {
        let error = try #require(throws: ConfigFileError.self) { try RepositoryConfig.parse(text, knownRules: ["todo-added"]) }
        #expect(error.file == ".switchboard.yml")
        #expect(error.line == line)
        #expect(error.field == field)
        #expect(error.message.contains(message), "\(error)")
    }

    @Test("applied to a review: disabled rules, ignored paths and findings below the threshold are gone")
    func applied() throws {
        let files = try UnifiedDiff.parse(TestData.fixture("planted.diff"))
        let config = try RepositoryConfig.parse("review:\n  disable: [github-token]\n  ignore: [web/]\n  severity_threshold: warning\n")
        let report = try Reviewer(rules: try TestData.rules()).review(files, config: config)
        #expect(!report.findings.contains { $0.rule == "github-token" || $0.path.hasPrefix("web/") || $0.severity == .info })
        #expect(report.findings.contains { $0.rule == "high-entropy-secret" })
        #expect(report.skipped.contains { $0.path == "web/app.js" && $0.reason == .ignored(pattern: "web/") })
    }
}
