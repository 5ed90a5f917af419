extension SessionTurnResult: ReadableResult {
    /// The reply, then the changed files with a diffstat, the commit, the tests, and the compare and PR links.
    public var text: String {
        var lines = [reply]
        if let commit {
            let added = filesChanged.map(\.added).reduce(0, +)
            let removed = filesChanged.map(\.removed).reduce(0, +)
            lines.append("")
            lines.append("Commit \(commit.prefix(12)) on \(branch): \(filesChanged.count) file\(filesChanged.count == 1 ? "" : "s") changed, +\(added) −\(removed)")
            lines += filesChanged.map { "- \($0.path) (+\($0.added) −\($0.removed))" }
        }
        if let tests { lines.append(tests.passed ? "Tests passed." : "Tests failed.") }
        if let compareURL { lines.append("Compare: \(compareURL)") }
        if let prURL { lines.append("Pull request: \(prURL)") }
        return lines.joined(separator: "\n")
    }
}
