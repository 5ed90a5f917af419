extension RepoBranchesResult: ReadableResult {
    /// Each branch with ahead/behind the base and its last commit.
    public var text: String {
        (["🌿 \(branches.count) branches (ahead/behind \(base)):"] + branches.map { branch in
            "- \(branch.name): +\(branch.ahead) −\(branch.behind) · \(branch.lastCommit.sha.prefix(7)) \(branch.lastCommit.subject) (\(branch.lastCommit.author))"
        }).joined(separator: "\n")
    }
}

extension RepoBranchCreateResult: ReadableResult {
    public var text: String { "🌿 Branch \(name) at \(commit.prefix(7))." }
}

extension RepoBranchDeleteResult: ReadableResult {
    public var text: String {
        deleted ? "🗑️ Deleted branch \(name)\(commit.map { " (was \($0.prefix(7)))" } ?? "")." : "Branch \(name) was already gone."
    }
}

extension RepoMergeResult: ReadableResult {
    public var text: String {
        IntegrationText.render("Merge", done: merged, commit: commit, pushed: pushed, conflicts: conflicts, resolved: resolved, tests: tests)
    }
}

extension RepoRebaseResult: ReadableResult {
    public var text: String {
        IntegrationText.render("Rebase", done: rebased, commit: commit, pushed: pushed, conflicts: conflicts, resolved: resolved, tests: tests)
    }
}

extension RepoPruneResult: ReadableResult {
    public var text: String {
        let names = branches.map(\.name).joined(separator: ", ")
        if branches.isEmpty { return "🧹 No merged branches to prune." }
        return deleted
            ? "🧹 Deleted \(branches.count) merged branches: \(names)"
            : "🧹 Dry run: \(branches.count) branches are merged and would be deleted: \(names)\nSend again with dry_run false to delete them."
    }
}

/// A merge or rebase in words: done and pushed, or stopped on conflicts listed file by file, hunk by hunk.
enum IntegrationText {
    static func render(_ verb: String, done: Bool, commit: String?, pushed: Bool, conflicts: [ConflictFile]?, resolved: [String]?, tests: TestRunReport?) -> String {
        var lines: [String] = []
        if done {
            lines.append("✅ \(verb) done\(commit.map { " at \($0.prefix(7))" } ?? "")\(pushed ? ", pushed" : ", not pushed").")
        } else if let conflicts, !conflicts.isEmpty {
            lines.append("⚠️ \(verb) stopped on conflicts in \(conflicts.count) \(conflicts.count == 1 ? "file" : "files") (nothing was pushed):")
            for file in conflicts {
                lines.append("• \(file.path) — \(file.hunks.count) \(file.hunks.count == 1 ? "hunk" : "hunks")")
                lines += file.hunks.prefix(5).map { "  line \($0.startLine): ours “\(firstLine($0.ours))” vs theirs “\(firstLine($0.theirs))”" }
                if file.hunks.count > 5 { lines.append("  … \(file.hunks.count - 5) more") }
            }
            lines.append("Resolve with strategy ours, theirs, union or llm, or by hand.")
        } else {
            lines.append("❌ \(verb) not done.")
        }
        if let resolved, !resolved.isEmpty { lines.append("Resolved: \(resolved.joined(separator: ", "))") }
        if let tests { lines.append(tests.passed ? "Tests passed." : "Tests failed:\n\(tests.outputTail.suffix(500))") }
        return lines.joined(separator: "\n")
    }

    private static func firstLine(_ text: String) -> String {
        let line = text.split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init) ?? ""
        return line.count > 60 ? String(line.prefix(57)) + "…" : line
    }
}
