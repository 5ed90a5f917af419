import AgentBase
import GitKit

extension RepoManagerService {
    /// `repo.branches`: every branch with ahead/behind against the base (the default branch unless given).
    func branches(_ request: RepoBranchesRequest, _ context: TaskContext) async throws -> RepoBranchesResult {
        try await withMirror(request.repoURL, context) { mirror in
            var base = request.base ?? ""
            if base.isEmpty { base = try await mirror.defaultBranch() }
            let baseCommit = try await branchCommit(base, in: mirror)
            var infos: [RepoBranchInfo] = []
            for branch in try await mirror.branches() {
                infos.append(try await info(branch, base: baseCommit, in: mirror))
            }
            return RepoBranchesResult(base: base, branches: infos)
        }
    }

    /// `repo.branch.create`: a new branch at a ref, pushed; done already when it exists at that commit.
    func createBranch(_ request: RepoBranchCreateRequest, _ context: TaskContext) async throws -> RepoBranchCreateResult {
        try await withMirror(request.repoURL, context) { mirror in
            try await mirror.checkBranchName(request.name)
            let commit = try await mirror.commit(request.from)
            if let existing = try await mirror.branchCommit(request.name) {
                guard existing == commit else {
                    throw AgentError.permanent("branch '\(request.name)' already exists at \(existing.prefix(12)), not at \(request.from) (\(commit.prefix(12))); delete it first or pick another name", code: "branch_exists")
                }
                return RepoBranchCreateResult(name: request.name, commit: commit)
            }
            await context.progress("pushing \(request.name)", percent: 60)
            try await mirror.push(["\(commit):refs/heads/\(request.name)"])
            return RepoBranchCreateResult(name: request.name, commit: commit)
        }
    }

    /// `repo.branch.delete`: deletes a branch on the remote; an unmerged branch only with `force`, the default branch never.
    func deleteBranch(_ request: RepoBranchDeleteRequest, _ context: TaskContext) async throws -> RepoBranchDeleteResult {
        try await withMirror(request.repoURL, context) { mirror in
            guard let commit = try await mirror.branchCommit(request.name) else { return RepoBranchDeleteResult(name: request.name, deleted: false) }
            let defaultBranch = try await mirror.defaultBranch()
            guard request.name != defaultBranch else {
                throw AgentError.permanent("refusing to delete '\(request.name)': it is the repository's default branch", code: "default_branch")
            }
            if !request.force {
                let ahead = try await mirror.aheadBehind(commit, base: try await branchCommit(defaultBranch, in: mirror)).ahead
                guard ahead == 0 else {
                    throw AgentError.permanent("branch '\(request.name)' has \(ahead) commit\(ahead == 1 ? "" : "s") not merged into '\(defaultBranch)'; send force: true to delete it anyway", code: "branch_not_merged")
                }
            }
            await context.progress("deleting \(request.name)", percent: 60)
            try await mirror.push([":refs/heads/\(request.name)"], leases: ["refs/heads/\(request.name)": commit])
            return RepoBranchDeleteResult(name: request.name, deleted: true, commit: commit)
        }
    }

    /// `repo.prune`: the branches fully merged into `base` (never `base` or the default branch); deleted unless `dry_run`.
    func prune(_ request: RepoPruneRequest, _ context: TaskContext) async throws -> RepoPruneResult {
        try await withMirror(request.repoURL, context) { mirror in
            let baseCommit = try await branchCommit(request.base, in: mirror)
            let keep: Set = [request.base, try await mirror.defaultBranch()]
            var merged: [RepoBranchInfo] = []
            for branch in try await mirror.branches(mergedInto: baseCommit) where !keep.contains(branch.name) {
                merged.append(try await info(branch, base: baseCommit, in: mirror))
            }
            guard !request.dryRun, !merged.isEmpty else { return RepoPruneResult(branches: merged, deleted: false) }
            await context.progress("deleting \(merged.count) merged branch\(merged.count == 1 ? "" : "es")", percent: 60)
            let leases = Dictionary(uniqueKeysWithValues: merged.map { ("refs/heads/\($0.name)", $0.lastCommit.sha) })
            try await mirror.push(merged.map { ":refs/heads/\($0.name)" }, leases: leases)
            return RepoPruneResult(branches: merged, deleted: true)
        }
    }
}
