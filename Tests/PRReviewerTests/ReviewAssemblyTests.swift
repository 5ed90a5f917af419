import AgentBase
import Foundation
@testable import PRReviewer
import Testing

/// Putting a review together: merging and de-duplicating findings, the summary and result, the GitHub review and the chat text.
struct ReviewAssemblyTests {
    private func finding(_ path: String, _ line: Int?, _ severity: Severity, _ rule: String, _ message: String, _ source: ReviewFinding.Source = .rules) -> ReviewFinding {
        ReviewFinding(path: path, line: line, severity: severity, rule: rule, message: message, source: source)
    }

    @Test("duplicates go (same place and rule, or same place and nearly the same message); the more severe and the rule's one stay")
    func merge() {
        let merged = FindingMerger.merge([
            finding("b.swift", 3, .info, "todo-added", "A TODO was added."),
            finding("a.swift", 9, .warning, "llm", "Debug print left in the code, remove it.", .model),
            finding("a.swift", 9, .warning, "swift-debug-print", "Debug print left in the code; remove it!"),
            finding("a.swift", 9, .error, "swift-debug-print", "Something else entirely."),
            finding("a.swift", 2, .warning, "llm", "This loop never ends.", .model),
            finding("a.swift", nil, .warning, "missing-tests", "No tests."),
            finding("a.swift", 9, .info, "llm", "Consider a logger here instead of printing to stdout.", .model),
        ])
        #expect(merged.map { "\($0.rule) \($0.location) \($0.severity)" } == [
            "swift-debug-print a.swift:9 error",
            "missing-tests a.swift warning",
            "llm a.swift:2 warning",
            "todo-added b.swift:3 info",
        ])
    }

    @Test("a model finding on a line a rule flagged becomes part of the rule's finding: one comment, the rule's words first, the more severe")
    func modelFindingFoldedIntoRule() {
        let merged = FindingMerger.merge([
            finding("db.py", 4, .warning, "sql-built-from-strings", "SQL built by concatenation can be injected."),
            finding("db.py", 4, .error, "llm", "The name comes from the request unescaped.", .model),
            finding("db.py", 9, .warning, "llm", "This loop never ends.", .model),
        ])
        #expect(merged.map { "\($0.rule) \($0.location) \($0.severity)" } == ["sql-built-from-strings db.py:4 error", "llm db.py:9 warning"])
        #expect(merged.first?.message == "SQL built by concatenation can be injected. Model: The name comes from the request unescaped.")
    }

    @Test("on_open / on_push: review by default, the listed commands when set, an unknown command refused with its line")
    func automaticCommandsConfig() throws {
        let defaults = try RepositoryConfig.parse("")
        #expect(defaults.commands(for: .opened) == [.review] && defaults.commands(for: .pushed) == [.review] && defaults.commands(for: nil) == [.review])
        let set = try RepositoryConfig.parse("review:\n  on_open: [describe, review]\n  on_push: []\n")
        #expect(set.commands(for: .opened) == [.describe, .review] && set.commands(for: .pushed).isEmpty && set.commands(for: nil) == [.review])
        #expect {
            _ = try RepositoryConfig.parse("review:\n  on_push: [ask]\n")
        } throws: { error in
            "\(error)".contains(".switchboard.yml:2") && "\(error)".contains("review.on_push[0]: unknown command 'ask'")
        }
    }

    @Test("REVIEW_MIN_SEVERITY is the threshold when the repository sets none; the repository's own wins; a wrong value is refused")
    func minimumSeverity() throws {
        #expect(try RepositoryConfig.parse("", minimumSeverity: .warning).severityThreshold == .warning)
        #expect(try RepositoryConfig.parse("review:\n  disable: []\n", minimumSeverity: .warning).severityThreshold == .warning)
        #expect(try RepositoryConfig.parse("review:\n  severity_threshold: error\n", minimumSeverity: .warning).severityThreshold == .error)
        #expect(try PRReviewerService.minimumSeverity(SwitchboardEnvironment(["REVIEW_MIN_SEVERITY": "Warning"])) == .warning)
        #expect(try PRReviewerService.minimumSeverity(SwitchboardEnvironment([:])) == .info)
        #expect(throws: ConfigurationError.self) { try PRReviewerService.minimumSeverity(SwitchboardEnvironment(["REVIEW_MIN_SEVERITY": "loud"])) }
    }

    @Test("a rule with a fix puts the fixed line in its inline comment as a GitHub suggestion block")
    func suggestion() throws {
        let file = TestData.added("app/config.py", ["import yaml", "data = yaml.load(stream)"])
        let report = try Reviewer(rules: try TestData.rules()).review([file])
        let finding = try #require(report.findings.first { $0.rule == "yaml-unsafe-load" })
        #expect(finding.suggestion == "data = yaml.safe_load(stream)")
        let comment = try #require(GitHubReview(report: report, commitID: "c").comments.first { $0.line == 2 })
        #expect(comment.body.hasSuffix("\n\n```suggestion\ndata = yaml.safe_load(stream)\n```"))
    }

    @Test("model findings added to a report are merged, filtered by the config and sorted")
    func addModelFindings() throws {
        let files = try UnifiedDiff.parse(TestData.fixture("planted.diff"))
        let config = RepositoryConfig(ignore: [PathGlob("web/")])
        var report = try Reviewer(rules: try TestData.rules()).review(files, config: config)
        let before = report.findings.count
        report.add([
            finding("Sources/App/Config.swift", 10, .error, ReviewFinding.modelRule, "Certificate verification is turned off (.none).", .model),
            finding("scripts/deploy.py", 5, .warning, ReviewFinding.modelRule, "deploy() has no error handling.", .model),
            finding("web/app.js", 1, .error, ReviewFinding.modelRule, "Ignored path.", .model),
        ])
        // The model's finding on Config.swift:10 joins the rule's finding there; the one on deploy.py:5 stands alone.
        #expect(report.findings.count == before + 1)
        #expect(report.findings.first { $0.source == .model }?.location == "scripts/deploy.py:5")
        #expect(report.findings.contains { $0.location == "Sources/App/Config.swift:10" && $0.source == .rules && $0.message.hasSuffix("Model: Certificate verification is turned off (.none).") })
    }

    @Test("summary and pr.review result: counts by severity, skipped files, notes and the model's summary")
    func result() throws {
        var report = ReviewReport(
            findings: [finding("a.swift", 1, .error, "r", "m"), finding("a.swift", 2, .warning, "s", "n"), finding("b.swift", 3, .warning, "t", "o")],
            reviewedFiles: [TestData.added("a.swift", ["x", "y"]), TestData.added("b.swift", ["", "", "z"])],
            skipped: [SkippedFile(path: "Package.resolved", reason: .lockFile), SkippedFile(path: "logo.png", reason: .binary)],
            notes: ["No model is configured: rules only."]
        )
        report.modelSummary = "The change adds a login form."
        #expect(report.summary == """
        3 findings in 2 changed files: 1 error, 2 warning. Skipped 2 files: Package.resolved (lock file), logo.png (binary). No model is configured: rules only.

        The change adds a login form.
        """)
        let result = report.result(posted: true, reviewURL: "https://git.example.com/o/r/pull/1#review-1")
        #expect(result.findings.map(\.rule) == ["r", "s", "t"])
        #expect(result.posted && result.reviewURL != nil)
        let json = try JSONValue(encoding: result)
        #expect(json["findings"]?[0]?["line"]?.intValue == 1)
    }

    @Test("GitHub review: marker in the body, inline comments only on right-side diff lines, one comment per line")
    func gitHubReview() throws {
        let files = try UnifiedDiff.parse(TestData.fixture("planted.diff"))
        var report = try Reviewer(rules: try TestData.rules()).review(files)
        report.add([finding("Sources/App/Config.swift", 40, .warning, ReviewFinding.modelRule, "Off the diff.", .model)])
        let review = GitHubReview(report: report, commitID: "0123abc")
        #expect(GitHubReview.isSwitchboardReview(body: review.body))
        #expect(review.body.hasPrefix(GitHubReview.marker))
        #expect(review.comments.map { "\($0.path):\($0.line)" } == [
            "Sources/App/Config.swift:5", "Sources/App/Config.swift:9", "Sources/App/Config.swift:10",
            "scripts/deploy.py:6", "scripts/deploy.py:7", "scripts/deploy.py:8", "scripts/deploy.py:9", "scripts/deploy.py:10",
            "web/app.js:2", "web/app.js:3", "web/app.js:4",
        ])
        #expect(review.comments.allSatisfy { $0.side == "RIGHT" })
        let secret = review.comments[0].body
        #expect(secret.contains("`github-token`") && secret.contains("`high-entropy-secret`") && secret.hasPrefix("**error**"))
        #expect(review.body.contains("- `Sources/App/Config.swift:40` **warning** · `llm` — Off the diff."))
        #expect(review.body.contains("- `Sources/App/Config.swift` **info** · `missing-tests`"))
        #expect(review.body.contains("<summary>Skipped files (3)</summary>"))
        #expect(review.body.contains("- `logo.png`: binary"))
        let json = try JSONValue(encoding: review)
        #expect(json["event"]?.stringValue == "COMMENT")
        #expect(json["commit_id"]?.stringValue == "0123abc")
        #expect(json["comments"]?[0]?["side"]?.stringValue == "RIGHT")
        #expect(!GitHubReview.isSwitchboardReview(body: "Looks good to me"))
    }

    @Test("from GitHub's PR files to the review JSON: exact comments on exact lines")
    func forgeFilesToReviewJSON() throws {
        let files = [
            try ChangedFile(forgePath: "app/server.py", status: "modified", patch: "@@ -20,2 +20,4 @@ def serve():\n     app = make_app()\n+    requests.get(url, verify=False)\n+    # TODO: retry\n     app.run()", additions: 2),
            try ChangedFile(forgePath: "app/tests/test_server.py", status: "added", patch: "@@ -0,0 +1 @@\n+def test_serve(): pass", additions: 1),
            try ChangedFile(forgePath: "yarn.lock", status: "modified", patch: "@@ -1 +1 @@\n-a\n+b", additions: 1, deletions: 1),
        ]
        let rules = try TestData.rules()
        let review = try GitHubReview(report: Reviewer(rules: rules).review(files))
        let tls = try #require(rules.rule(id: "tls-verification-disabled")).message
        let todo = try #require(rules.rule(id: "todo-added")).message
        #expect(try JSONValue(encoding: review.comments) == [
            ["path": "app/server.py", "line": 21, "side": "RIGHT", "body": .string("**error** · `tls-verification-disabled` — \(tls)")],
            ["path": "app/server.py", "line": 22, "side": "RIGHT", "body": .string("**info** · `todo-added` — \(todo)")],
        ])
        #expect(review.body.contains("2 findings in 2 changed files: 1 error, 1 info. Skipped 1 file: yarn.lock (lock file)."))
    }

    @Test("chat text: a headline, the top findings one line each, what was left out")
    func chat() throws {
        let files = try UnifiedDiff.parse(TestData.fixture("planted.diff"))
        let report = try Reviewer(rules: try TestData.rules()).review(files)
        let lines = report.chatText(limit: 3, maxMessageLength: 40).split(separator: "\n")
        #expect(lines.first == "Review: 13 findings in 5 files (4 error, 7 warning, 2 info).")
        #expect(lines[1].hasPrefix("• error Sources/App/Config.swift:5 [github-token] This looks like a GitHub token;"))
        #expect(lines[1].hasSuffix("…"))
        #expect(lines[4] == "…and 10 more.")
        #expect(lines[5] == "Skipped 3 files: Package.resolved (lock file), logo.png (binary), vendor/lib/x.go (vendored).")
        let clean = try Reviewer(rules: try TestData.rules()).review(try UnifiedDiff.parse(TestData.fixture("clean.diff")))
        #expect(clean.chatText() == "Review: no findings in 2 files.")
    }
}
