/// The words of a session's pull request: the first turn as title, the turns as body.
enum SessionPullRequestText {
    static func title(turns: [SessionHistory.Turn], branch: String) -> String {
        let first = turns.first.map { ChangeText.firstLine(of: $0.text) } ?? ""
        return first.isEmpty ? "Coding session \(branch)" : first
    }

    static func body(turns: [SessionHistory.Turn], branch: String) -> String {
        var lines = ["Made turn by turn in a Switchboard coding session on `\(branch)`.", "", "### Turns", ""]
        lines += turns.map { turn in
            let commit = turn.commit.map { " (\($0.prefix(12)))" } ?? ""
            return "- \(SessionPrompt.oneLine(turn.text))\(commit): \(SessionPrompt.oneLine(turn.reply))"
        }
        return lines.joined(separator: "\n")
    }
}
