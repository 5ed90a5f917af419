import AgentBase
import Foundation

/// Answers what the diff alone can tell about a pull request — which files, how much, whether tests changed, what the
/// rules flagged, whether a named file is touched — and says so plainly when a question needs a model.
struct DiffAnswerer: Sendable {
    let rules: RuleSet

    /// What the diff says about one line a question was asked on: the line, and what the rules flag on it.
    func answer(_ question: String, on path: String, line: Int, files: [ChangedFile], findings: [ReviewFinding]) -> String {
        guard let file = files.first(where: { $0.path == path }) else { return "\(path) is not part of this pull request's diff." }
        var parts: [String] = []
        if let text = file.hunks.flatMap(\.lines).first(where: { $0.newLine == line })?.text {
            parts.append("\(path):\(line) reads `\(text.trimmingCharacters(in: .whitespaces).prefix(200))`.")
        }
        let here = findings.filter { $0.path == path && $0.line == line }
        if here.isEmpty {
            parts.append("The rules flag nothing on this line.")
        } else {
            parts.append("The rules flag it: " + here.map { "\($0.rule) (\($0.severity.rawValue)): \($0.message)" }.joined(separator: "; "))
        }
        parts.append("Beyond that the diff alone cannot answer; with a model configured (LLM_PROVIDER) it can be asked.")
        return parts.joined(separator: " ")
    }

    func answer(_ question: String, files: [ChangedFile], findings: [ReviewFinding]) -> String {
        let words = question.lowercased()
        if let file = files.first(where: { words.contains($0.path.lowercased()) }) {
            return "Yes: \(file.path) is \(PullRequestDescriber.change(file.status)) (+\(file.additions) −\(file.deletions))."
        }
        if words.contains("test") {
            let tests = files.filter { rules.isTest($0.path) }.map(\.path)
            return tests.isEmpty ? "No test file changed." : "Yes: \(Plural.count(tests.count, "test file")) changed (\(Plural.list(tests, limit: 10)))."
        }
        if ["risk", "secur", "safe", "problem", "bug", "issue", "vulnerab", "inject", "wrong"].contains(where: words.contains) {
            let serious = findings.filter { $0.severity != .info }
            if serious.isEmpty { return "The rules found nothing above info level in this diff (a model would look deeper)." }
            let listed = serious.prefix(5).map { "\($0.location) \($0.rule): \($0.message)" }
            return "The rules flag \(Plural.count(serious.count, "place")): " + listed.joined(separator: "; ") + (serious.count > 5 ? "; and more." : ".")
        }
        if ["how many", "how big", "size", "lines", "large"].contains(where: words.contains) {
            return PullRequestDescriber.summary(files, labels: PullRequestDescriber(rules: rules).labels(files))
        }
        if ["file", "which", "what changed", "touch", "change"].contains(where: words.contains) {
            let listed = files.map { "\($0.path) (\(PullRequestDescriber.change($0.status)), +\($0.additions) −\($0.deletions))" }
            return "\(Plural.count(files.count, "file")) changed: \(Plural.list(listed, limit: 20))."
        }
        let summary = PullRequestDescriber.summary(files, labels: PullRequestDescriber(rules: rules).labels(files))
        return "The diff alone cannot answer that; with a model configured (LLM_PROVIDER) it can be asked. What the diff shows: \(summary)"
    }
}
