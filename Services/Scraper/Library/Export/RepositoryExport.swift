import AgentBase
import GitKit

/// Commits a scrape's export to a file in a git repository: one commit when the content changed, none when it did
/// not (so a retried task, or a sync of an unchanged page, commits nothing), pushed with a lease on the branch.
struct RepositoryExport: Sendable {
    let git: GitServices

    func commit(_ content: String, to target: TodoExportTarget, source: String, context: TaskContext) async throws -> TodoExportResult {
        let repository = try git.workspace.repository(target.repoURL)
        return try await git.locks.withLock(repository) {
            await context.progress("exporting to \(target.path) in \(repository)", percent: 80)
            let mirror = try await git.workspace.mirror(repository)
            let defaultBranch = try await mirror.defaultBranch()
            let branch = target.branch ?? defaultBranch
            try await mirror.checkBranchName(branch)
            let existing = try await mirror.branchCommit(branch)
            let start: String
            if let existing { start = existing } else { start = try await mirror.commit(defaultBranch) }
            return try await git.workspace.withWorktree(mirror, task: context.task, at: start) { worktree in
                if (try? await worktree.read(target.path)) == content {
                    // Unchanged: nothing to commit; a missing branch is still created, at the default branch's commit.
                    if existing == nil { try await mirror.push(["\(start):refs/heads/\(branch)"], leases: ["refs/heads/\(branch)": ""]) }
                    return TodoExportResult(repoURL: target.repoURL, path: target.path, branch: branch, commit: start, changed: false)
                }
                try await worktree.write(target.path, content)
                try await worktree.stage([target.path])
                let commit = try await worktree.commit(message: "Sync todos from \(source)")
                try await mirror.push(["\(commit):refs/heads/\(branch)"], leases: ["refs/heads/\(branch)": existing ?? ""])
                return TodoExportResult(repoURL: target.repoURL, path: target.path, branch: branch, commit: commit, changed: true)
            }
        }
    }
}
