extension SessionTurnResult: ReadableResult {
    /// The reply, then the changed files with a diffstat, the commit, the tests, and the compare and PR links.
    public var text: String {
        var lines = [reply]
        if let commit {
            let stat = FileChange.diffstat(filesChanged)
            lines += ["", "Commit \(commit.prefix(12)) on \(branch): \(stat[0])"] + stat.dropFirst()
        }
        if let tests { lines.append(tests.passed ? "Tests passed." : "Tests failed.") }
        if let compareURL { lines.append("Compare: \(compareURL)") }
        if let prURL { lines.append("Pull request: \(prURL)") }
        return lines.joined(separator: "\n")
    }
}
