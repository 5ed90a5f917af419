import Foundation
@testable import PRReviewer
import Testing

/// The injection rules against a planted-defect corpus written apart from their own examples
/// (`Fixtures/corpus/cases.txt`): recall and false alarms per language, printed, and held to a floor.
struct InjectionCorpusTests {
    /// One file of the corpus.
    struct Case {
        var bad: Bool
        var path: String
        var lines: [String]

        var language: String { String(path.split(separator: "/").first ?? "") }
    }

    /// Rules that say nothing about injections and so do not count for or against.
    static let unrelated: Set<String> = ["missing-tests", "todo-added", "large-file", "js-console-log"]

    static func cases() throws -> [Case] {
        let text = try TestData.fixture("corpus/cases.txt")
        var cases: [Case] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("=== ") {
                let parts = line.dropFirst(4).split(separator: " ")
                cases.append(Case(bad: parts[0] == "bad", path: String(parts[1]), lines: []))
            } else if !line.hasPrefix("#"), !cases.isEmpty {
                cases[cases.count - 1].lines.append(line)
            }
        }
        return cases.map { var trimmed = $0; while trimmed.lines.last == "" { trimmed.lines.removeLast() }; return trimmed }
    }

    /// The rules' findings on `file` as a newly added file, the unrelated ones left out.
    static func findings(_ file: Case, reviewer: Reviewer) throws -> [ReviewFinding] {
        let patch = "diff --git a/\(file.path) b/\(file.path)\nnew file mode 100644\n--- /dev/null\n+++ b/\(file.path)\n@@ -0,0 +1,\(file.lines.count) @@\n"
            + file.lines.map { "+" + $0 }.joined(separator: "\n") + "\n"
        return try reviewer.review(UnifiedDiff.parse(patch)).findings.filter { !unrelated.contains($0.rule) }
    }

    @Test("recall and false alarms per language on the planted-defect corpus")
    func corpus() throws {
        let reviewer = Reviewer(rules: try TestData.rules())
        var table: [String: (found: Int, bad: Int, alarms: Int, safe: Int)] = [:]
        var misses: [String] = []
        var alarms: [String] = []
        for file in try Self.cases() {
            let found = try Self.findings(file, reviewer: reviewer)
            var row = table[file.language] ?? (0, 0, 0, 0)
            if file.bad {
                row.bad += 1
                if found.isEmpty { misses.append(file.path) } else { row.found += 1 }
            } else {
                row.safe += 1
                if !found.isEmpty { row.alarms += 1; alarms.append("\(file.path): \(found.map(\.rule))") }
            }
            table[file.language] = row
        }
        print("injection corpus: language recall false-alarms")
        for (language, row) in table.sorted(by: { $0.key < $1.key }) {
            print("  \(language): \(row.found)/\(row.bad) found, \(row.alarms)/\(row.safe) safe files flagged")
        }
        let totals = table.values.reduce((0, 0, 0, 0)) { ($0.0 + $1.found, $0.1 + $1.bad, $0.2 + $1.alarms, $0.3 + $1.safe) }
        print("  all: \(totals.0)/\(totals.1) found, \(totals.2)/\(totals.3) safe files flagged; missed: \(misses); alarms: \(alarms)")
        #expect(Double(totals.0) / Double(totals.1) >= 0.9, "missed: \(misses)")
        #expect(alarms.isEmpty)
    }
}
