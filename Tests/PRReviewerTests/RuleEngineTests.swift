import AgentBase
import PRReviewer
import Testing

/// The rule engine over the fixture corpus: planted defects found on the right lines, clean diffs with no finding,
/// and the whole-file and whole-change rules.
struct RuleEngineTests {
    @Test("the planted fixture: every defect found at its new-file line, skipped files named")
    func plantedDefects() throws {
        let files = try UnifiedDiff.parse(TestData.fixture("planted.diff"))
        let report = try Reviewer(rules: try TestData.rules()).review(files)
        #expect(TestData.places(report.findings) == [
            "github-token Sources/App/Config.swift:5",
            "tls-verification-disabled Sources/App/Config.swift:10",
            "tls-verification-disabled scripts/deploy.py:8",
            "python-debugger scripts/deploy.py:10",
            "high-entropy-secret Sources/App/Config.swift:5",
            "swift-debug-print Sources/App/Config.swift:9",
            "python-shell scripts/deploy.py:7",
            "sql-built-from-strings scripts/deploy.py:9",
            "js-console-log web/app.js:2",
            "eval web/app.js:3",
            "js-shell web/app.js:4",
            "missing-tests Sources/App/Config.swift",
            "todo-added scripts/deploy.py:6",
        ])
        #expect(report.skipped.map(\.path) == ["Package.resolved", "logo.png", "vendor/lib/x.go"])
        #expect(report.findings.allSatisfy { finding in report.reviewedFiles.contains { $0.path == finding.path } })
        let missingTests = try #require(report.findings.first { $0.rule == "missing-tests" })
        #expect(missingTests.message.contains("Sources/App/Config.swift, scripts/deploy.py, web/app.js"))
    }

    @Test("a clean change with its test produces no finding")
    func cleanDiff() throws {
        let files = try UnifiedDiff.parse(TestData.fixture("clean.diff"))
        let report = try Reviewer(rules: try TestData.rules()).review(files)
        #expect(report.findings.isEmpty)
        #expect(report.summary == "No findings in 2 changed files.")
    }

    @Test("removed lines and context lines are never findings")
    func onlyAddedLines() throws {
        let patch = "@@ -1,3 +1,3 @@\n console.log(\"context\");\n-console.log(\"removed\");\n+log(\"added\");\n debugger;"
        let file = try ChangedFile(forgePath: "app.js", status: "modified", patch: patch)
        #expect(file.hunks.first?.lines.count == 4)
        let findings = try RuleEngine(rules: try TestData.rules()).findings(in: [file], allChangedPaths: ["app.test.js"])
        #expect(findings.isEmpty)
    }

    @Test("large-file fires past its threshold, with the count in the message")
    func largeFile() throws {
        let rules = try TestData.rules()
        guard case .largeFile(let limit) = try #require(rules.rule(id: "large-file")).check else { Issue.record("large-file is not a large-file rule"); return }
        let big = TestData.added("Sources/Big.swift", Array(repeating: "let x = 1", count: limit + 1))
        let small = TestData.added("Sources/Small.swift", Array(repeating: "let x = 1", count: limit))
        let findings = try RuleEngine(rules: rules).findings(in: [big, small], allChangedPaths: ["Tests/BigTests.swift"])
        #expect(TestData.places(findings) == ["large-file Sources/Big.swift"])
        #expect(findings.first?.message.contains("\(limit + 1) lines added") == true)
    }

    @Test("missing-tests: source without tests, but not with a test change, docs only, or a removed file")
    func missingTests() throws {
        let engine = RuleEngine(rules: try TestData.rules())
        let source = TestData.added("Sources/App/Login.swift", ["let x = 1"])
        let test = TestData.added("Tests/AppTests/LoginTests.swift", ["#expect(true)"])
        let docs = TestData.added("README.md", ["# Title"])
        let removed = ChangedFile(path: "Sources/App/Old.swift", status: .removed, deletions: 10)
        #expect(TestData.places(try engine.findings(in: [source, docs])) == ["missing-tests Sources/App/Login.swift"])
        #expect(try engine.findings(in: [source, test]).isEmpty)
        #expect(try engine.findings(in: [source], allChangedPaths: [source.path, test.path]).isEmpty)
        #expect(try engine.findings(in: [docs, removed]).isEmpty)
        #expect(try engine.findings(in: [source], disabled: ["missing-tests"]).isEmpty)
    }

    @Test("skip_tests: a debug print in a test file is not a finding")
    func skipTests() throws {
        let engine = RuleEngine(rules: try TestData.rules())
        let inTest = TestData.added("Tests/AppTests/LoginTests.swift", ["dump(value)"])
        let inSource = TestData.added("Sources/App/Login.swift", ["dump(value)"])
        #expect(TestData.places(try engine.findings(in: [inTest, inSource])) == ["swift-debug-print Sources/App/Login.swift:1"])
    }
}
