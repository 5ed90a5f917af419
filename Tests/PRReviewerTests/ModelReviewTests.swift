import AgentBase
@testable import PRReviewer
import Testing

/// The model side's pure parts: chunks under a budget, the prompt, and the lenient reading of the answer.
struct ModelReviewTests {
    @Test("small files share a chunk; each line carries its new-file number")
    func oneChunk() throws {
        let files = try UnifiedDiff.parse(TestData.fixture("planted.diff"))
        let chunks = DiffChunker(budget: 10_000).chunks(files)
        #expect(chunks.count == 1)
        let chunk = try #require(chunks.first)
        #expect(chunk.paths.contains("web/app.js") && !chunk.paths.contains("logo.png") && !chunk.paths.contains("docs-notes.md"))
        #expect(chunk.text.contains("--- web/app.js (modified)\n@@ -1,3 +1,6 @@\n    1  function start(user) {\n    2 +  console.log(\"starting\", user);"))
        #expect(chunk.text.contains("      -old\n"))
        #expect(chunk.lines["web/app.js"] == Set(1...6))
        #expect(chunk.lines["README.txt"] == [])
    }

    @Test("over the budget: split by file, then by hunk, then a long hunk in slices that repeat its header")
    func split() {
        let long = TestData.added("Sources/Long.swift", (1...60).map { "let value\($0) = \($0) // padding padding" })
        let short = TestData.added("Sources/Short.swift", ["let a = 1"])
        let budget = 600
        let chunks = DiffChunker(budget: budget).chunks([short, long])
        #expect(chunks.count > 3)
        #expect(chunks.allSatisfy { $0.text.count <= budget })
        #expect(chunks[0].paths == ["Sources/Short.swift"])
        #expect(chunks.dropFirst().allSatisfy { $0.text.hasPrefix("--- Sources/Long.swift (modified)\n@@ -0,0 +1,60 @@\n") })
        let covered = chunks.reduce(into: Set<Int>()) { $0.formUnion($1.lines["Sources/Long.swift", default: []]) }
        #expect(covered == Set(1...60))
        let giant = TestData.added("a.txt", [String(repeating: "x", count: 5_000)])
        let cut = DiffChunker(budget: budget).chunks([giant])
        #expect(cut.count == 1 && cut[0].text.count <= budget && cut[0].text.hasSuffix("…\n"))
    }

    @Test("risk order: flagged files first (errors before warnings), then source code, then the most added lines")
    func riskOrder() {
        let files = [
            TestData.added("README.md", ["a", "b", "c", "d"]),
            TestData.added("Sources/Big.swift", ["let a = 1", "let b = 2", "let c = 3"]),
            TestData.added("Sources/Small.swift", ["let a = 1"]),
            TestData.added("web/app.js", ["console.log(x)"]),
            TestData.added("app/db.py", ["cursor.execute(q)"]),
        ]
        let findings = [
            ReviewFinding(path: "web/app.js", line: 1, severity: .warning, rule: "js-console-log", message: "m"),
            ReviewFinding(path: "app/db.py", line: 1, severity: .error, rule: "sql-injection-flow", message: "m"),
        ]
        #expect(RiskOrder.sorted(files, findings: findings).map(\.path) == ["app/db.py", "web/app.js", "Sources/Big.swift", "Sources/Small.swift", "README.md"])
    }

    @Test("offline answers: a named file, tests, risks, size, files; otherwise it says a model is needed")
    func diffAnswers() throws {
        let rules = try TestData.rules()
        let files = [TestData.added("app/db.py", ["x = 1"], status: .added), TestData.added("tests/test_db.py", ["def test(): pass"])]
        let findings = [ReviewFinding(path: "app/db.py", line: 1, severity: .error, rule: "sql-injection-flow", message: "built SQL")]
        let answerer = DiffAnswerer(rules: rules)
        #expect(answerer.answer("Does it change app/db.py?", files: files, findings: findings) == "Yes: app/db.py is added (+1 −0).")
        #expect(answerer.answer("any tests?", files: files, findings: findings) == "Yes: 1 test file changed (tests/test_db.py).")
        #expect(answerer.answer("Is it safe?", files: files, findings: findings) == "The rules flag 1 place: app/db.py:1 sql-injection-flow: built SQL.")
        #expect(answerer.answer("How big is it?", files: files, findings: []).hasPrefix("2 files changed (+2 −0)"))
        #expect(answerer.answer("Which files?", files: files, findings: []) == "2 files changed: app/db.py (added, +1 −0), tests/test_db.py (modified, +1 −0).")
        #expect(answerer.answer("Why was this approach chosen?", files: files, findings: []).hasPrefix("The diff alone cannot answer that"))
    }

    @Test("the prompt asks for strict JSON and carries the chunk, the title and the part")
    func prompt() throws {
        let chunk = try #require(DiffChunker().chunks(UnifiedDiff.parse(TestData.fixture("clean.diff"))).first)
        let prompt = ReviewPrompt(chunk: chunk, part: 2, of: 3, title: "Add displayName", description: "For the profile page.")
        #expect(prompt.system.contains(#"{"summary": "#))
        #expect(prompt.system.contains("\"findings\""))
        #expect(prompt.user.hasPrefix("Pull request: Add displayName\nDescription:\nFor the profile page.\nThis is part 2 of 3 of the diff.\nFiles: Sources/App/Config.swift, Tests/AppTests/ConfigTests.swift\n\n--- Sources/App/Config.swift"))
    }

    @Test("the answer: code fences and chatter ignored, loose severities, findings off the chunk dropped")
    func answer() throws {
        let chunk = try #require(DiffChunker().chunks(UnifiedDiff.parse(TestData.fixture("planted.diff"))).first)
        let reply = """
        Here is my review:
        ```json
        {"summary": "Adds a deploy script.",
         "findings": [
          {"path": "scripts/deploy.py", "line": 7, "severity": "HIGH", "message": "Shell injection through branch."},
          {"path": "b/web/app.js", "line": "3", "severity": "nit", "message": "eval on user input."},
          {"path": "web/app.js", "line": 99, "severity": "error", "message": "Not in the diff."},
          {"path": "other.swift", "line": 1, "severity": "error", "message": "Not in the chunk."},
          {"path": "web/app.js", "line": 2, "severity": "error", "message": "  "},
          {"path": "Sources/App/Config.swift", "severity": "whatever", "message": "The type has no tests."}
         ]}
        ```
        """
        let answer = try ModelAnswer.parse(reply, chunk: chunk)
        #expect(answer.summary == "Adds a deploy script.")
        #expect(answer.dropped == 3)
        #expect(answer.findings.map { "\($0.location) \($0.severity)" } == ["scripts/deploy.py:7 error", "web/app.js:3 info", "Sources/App/Config.swift warning"])
        #expect(answer.findings.allSatisfy { $0.rule == ReviewFinding.modelRule && $0.source == .model })
    }

    @Test("the answers of all chunks join the report: findings merged, summaries joined, dropped ones noted")
    func answersJoinReport() throws {
        let files = try UnifiedDiff.parse(TestData.fixture("planted.diff"))
        var report = try Reviewer(rules: try TestData.rules()).review(files)
        let before = report.findings.count
        report.addModelAnswers([
            ModelAnswer(summary: "Adds a deploy script.", findings: [ReviewFinding(path: "scripts/deploy.py", line: 5, severity: .warning, rule: ReviewFinding.modelRule, message: "No error handling.", source: .model)], dropped: 2),
            ModelAnswer(summary: "", findings: [], dropped: 1),
            ModelAnswer(summary: "Logs user data.", findings: []),
        ])
        #expect(report.findings.count == before + 1)
        #expect(report.modelSummary == "Adds a deploy script.\n\nLogs user data.")
        #expect(report.notes == ["3 model findings outside the diff dropped."])
        #expect(report.summary.hasSuffix("3 model findings outside the diff dropped.\n\nAdds a deploy script.\n\nLogs user data."))
    }

    @Test("a reply without a JSON object is an error that quotes it")
    func notJSON() throws {
        let chunk = DiffChunk(text: "", lines: [:])
        let error = try #require(throws: ModelAnswerError.self) { try ModelAnswer.parse("I cannot review this.", chunk: chunk) }
        #expect(error.description.contains("I cannot review this."))
        #expect(throws: ModelAnswerError.self) { try ModelAnswer.parse("{not json}", chunk: chunk) }
    }
}
