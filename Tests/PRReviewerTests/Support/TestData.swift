import AgentBase
import Foundation
import PRReviewer
import SwitchboardTesting

/// The shipped rules file and the fixture diffs, placeholders expanded.
enum TestData {
    static let rulesPath = RepositoryPaths.root.appendingPathComponent(RuleSet.defaultPath).path

    /// The shipped rules, loaded once for every test (a load parses the YAML and compiles every expression).
    static func rules() throws -> RuleSet {
        try loaded.get()
    }

    private static let loaded = Result { () throws(ConfigFileError) -> RuleSet in try RuleSet.load(path: rulesPath) }

    /// The text of `Fixtures/<name>` with `{{…}}` sample placeholders expanded.
    static func fixture(_ name: String) throws -> String {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")
        return try SamplePlaceholder.expand(String(contentsOf: url, encoding: .utf8))
    }

    /// A changed file whose only hunk adds `lines` from line `start`.
    static func added(_ path: String, _ lines: [String], start: Int = 1, status: FileStatus = .modified) -> ChangedFile {
        let diffLines = lines.enumerated().map { DiffLine(kind: .added, text: $1, oldLine: nil, newLine: start + $0) }
        let hunk = DiffHunk(oldStart: start - 1, oldCount: 0, newStart: start, newCount: lines.count, lines: diffLines)
        return ChangedFile(path: path, status: status, hunks: [hunk])
    }

    /// A rule finding as the tests write them: `(rule, path, line)`.
    static func places(_ findings: [ReviewFinding]) -> [String] {
        findings.map { "\($0.rule) \($0.location)" }
    }
}
