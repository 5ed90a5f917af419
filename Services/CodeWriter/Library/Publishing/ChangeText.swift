import AgentBase
import Foundation

/// The words of a change: the commit message (with the `Switchboard-Task` trailer a retry finds its commit by) and
/// the pull request's title and body, from the request's title and spec, the model's summary and the tests.
struct ChangeText: Sendable {
    let title: String
    let spec: String
    let task: String
    /// The identity named in a `Co-authored-by` trailer (the person whose session turn this is).
    var coAuthor: String?

    static let trailer = "Switchboard-Task"

    init(request: CodeWriteRequest, task: String) {
        self.init(title: request.title, spec: request.spec, task: task)
    }

    /// The words of a session turn: its text, with the person who wrote it as co-author.
    init(turn: SessionTurnRequest, task: String) {
        self.init(title: nil, spec: turn.text, task: task)
        coAuthor = turn.requester
    }

    /// The words of an undo: git's own revert message, with the person who asked as co-author.
    init(undo subject: String, commit: String, task: String, requester: String?) {
        self.init(title: "Revert \"\(subject)\"", spec: "This reverts commit \(commit).", task: task)
        coAuthor = requester
    }

    /// A title given, else the spec's first line (at most 72 characters).
    private init(title: String?, spec: String, task: String) {
        let title = title ?? Self.firstLine(of: spec)
        self.title = title.isEmpty ? "Change by Switchboard" : title
        self.spec = spec.trimmingCharacters(in: .whitespacesAndNewlines)
        self.task = task
    }

    /// `<title>`, the spec (unless it is the title), and the trailers `Switchboard-Task: <task>` and, for a turn,
    /// `Co-authored-by: <identity> <identity@switchboard.invalid>`.
    var commitMessage: String {
        let body = spec == title ? "" : "\(spec)\n\n"
        let coAuthored = coAuthor.map { "Co-authored-by: \($0) <\(Self.address(of: $0))>\n" } ?? ""
        return "\(title)\n\n\(body)\(Self.trailer): \(task)\n\(coAuthored)"
    }

    /// The first line of `text`, trimmed, at most 72 characters: a title.
    static func firstLine(of text: String) -> String {
        let line = text.split(separator: "\n").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        return line.count > 72 ? String(line.prefix(71)) + "…" : line
    }

    /// A mail address git accepts for an identity: its letters, digits, dots and dashes at `switchboard.invalid`.
    static func address(of identity: String) -> String {
        let local = String(identity.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") ? $0 : "-" })
        return "\(local)@switchboard.invalid"
    }

    /// Whether a commit message carries this task's trailer.
    func isOurs(_ message: String) -> Bool {
        message.split(separator: "\n").contains { $0.trimmingCharacters(in: .whitespaces) == "\(Self.trailer): \(task)" }
    }

    /// The spec, the model's summary, and the test outcome with the tail of its output.
    func pullRequestBody(summary: String?, tests: TestRunReport?, testCommand: [String]?) -> String {
        var sections = [spec]
        if let summary, !summary.isEmpty { sections.append("### What changed\n\n\(summary)") }
        if let tests, let testCommand {
            let tail = tests.outputTail.trimmingCharacters(in: .newlines).split(separator: "\n", omittingEmptySubsequences: false).suffix(20).joined(separator: "\n")
            sections.append("### Tests\n\n`\(testCommand.joined(separator: " "))` \(tests.passed ? "passed ✅" : "failed ❌")\n\n```\n\(tail)\n```")
        } else {
            sections.append("### Tests\n\nNo test command was given.")
        }
        sections.append("---\nWritten by Switchboard code-writer for task `\(task)`.")
        return sections.joined(separator: "\n\n")
    }
}
