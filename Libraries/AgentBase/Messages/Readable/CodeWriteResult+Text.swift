extension CodeWriteResult: ReadableResult {
    /// The branch and commit, whether the tests passed, the pull request and any note.
    public var text: String {
        var lines = ["✅ Branch \(branch) at \(commit.prefix(12))"]
        if let tests { lines.append(tests.passed ? "Tests passed." : "Tests failed.") }
        if let prURL { lines.append("Pull request: \(prURL)") }
        if let note { lines.append("⚠️ \(note)") }
        return lines.joined(separator: "\n")
    }
}
