import AgentBase
import Foundation

/// `repo.*` results for chat: branch lists with ahead/behind, what was created, deleted or pruned, and merges or
/// rebases with their conflicts listed file by file, hunk by hunk.
enum RepoResultRenderer {
    /// The text for a `repo.*` result, or `nil` when the type is not one of them or the result does not decode.
    static func render(_ result: JSONValue, type: String) -> String? {
        let data = Data(result.jsonString.utf8)
        let decoder = JSONDecoder()
        switch type {
        case RepoBranchesRequest.type:
            return (try? decoder.decode(RepoBranchesResult.self, from: data)).map(branches)
        case RepoBranchCreateRequest.type:
            return (try? decoder.decode(RepoBranchCreateResult.self, from: data)).map { "🌿 Branch \($0.name) at \($0.commit.prefix(7))." }
        case RepoBranchDeleteRequest.type:
            return (try? decoder.decode(RepoBranchDeleteResult.self, from: data)).map {
                $0.deleted ? "🗑️ Deleted branch \($0.name)\($0.commit.map { " (was \($0.prefix(7)))" } ?? "")." : "Branch \($0.name) was already gone."
            }
        case RepoMergeRequest.type:
            return (try? decoder.decode(RepoMergeResult.self, from: data)).map {
                integration("Merge", done: $0.merged, commit: $0.commit, pushed: $0.pushed, conflicts: $0.conflicts, resolved: $0.resolved, tests: $0.tests)
            }
        case RepoRebaseRequest.type:
            return (try? decoder.decode(RepoRebaseResult.self, from: data)).map {
                integration("Rebase", done: $0.rebased, commit: $0.commit, pushed: $0.pushed, conflicts: $0.conflicts, resolved: $0.resolved, tests: $0.tests)
            }
        case RepoPruneRequest.type:
            return (try? decoder.decode(RepoPruneResult.self, from: data)).map(prune)
        default:
            return nil
        }
    }

    private static func branches(_ result: RepoBranchesResult) -> String {
        (["🌿 \(result.branches.count) branches (ahead/behind \(result.base)):"] + result.branches.map { branch in
            "- \(branch.name): +\(branch.ahead) −\(branch.behind) · \(branch.lastCommit.sha.prefix(7)) \(branch.lastCommit.subject) (\(branch.lastCommit.author))"
        }).joined(separator: "\n")
    }

    private static func prune(_ result: RepoPruneResult) -> String {
        let names = result.branches.map(\.name).joined(separator: ", ")
        if result.branches.isEmpty { return "🧹 No merged branches to prune." }
        return result.deleted
            ? "🧹 Deleted \(result.branches.count) merged branches: \(names)"
            : "🧹 Dry run: \(result.branches.count) branches are merged and would be deleted: \(names)\nSend again with dry_run false to delete them."
    }

    private static func integration(_ verb: String, done: Bool, commit: String?, pushed: Bool, conflicts: [ConflictFile]?, resolved: [String]?, tests: TestRunReport?) -> String {
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
