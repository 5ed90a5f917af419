import AgentBase
import GitKit

extension RepoManagerService {
    /// `repo.merge`: merges `source` into `target` in a fresh work tree, resolves conflicts by the strategy, tests, pushes.
    func merge(_ request: RepoMergeRequest, _ context: TaskContext) async throws -> RepoMergeResult {
        try await withMirror(request.repoURL, context) { mirror in
            let plan = IntegrationPlan(
                branch: request.target, branchCommit: try await branchCommit(request.target, in: mirror), incoming: try await mirror.commit(request.source),
                strategy: request.strategy, push: request.push, testCommand: request.testCommand,
                start: { worktree, incoming in try await worktree.merge(incoming, message: "Merge branch '\(request.source)' into \(request.target)") },
                proceed: { worktree in try await worktree.commitMerge(); return .clean },
                abort: { worktree in try await worktree.abortMerge() }
            )
            let outcome = try await integrate(plan, mirror: mirror, context: context)
            return RepoMergeResult(merged: outcome.done, commit: outcome.commit, pushed: outcome.pushed, conflicts: outcome.conflicts, resolved: outcome.resolved, tests: outcome.tests)
        }
    }

    /// `repo.rebase`: rebases `branch` onto `onto` in a fresh work tree, resolving each stop by the strategy, tests,
    /// and pushes with `--force-with-lease`.
    func rebase(_ request: RepoRebaseRequest, _ context: TaskContext) async throws -> RepoRebaseResult {
        try await withMirror(request.repoURL, context) { mirror in
            let plan = IntegrationPlan(
                branch: request.branch, branchCommit: try await branchCommit(request.branch, in: mirror), incoming: try await mirror.commit(request.onto),
                strategy: request.strategy, push: request.push, testCommand: request.testCommand,
                start: { worktree, incoming in try await worktree.rebase(onto: incoming) },
                proceed: { worktree in try await worktree.continueRebase() },
                abort: { worktree in try await worktree.abortRebase() }
            )
            let outcome = try await integrate(plan, mirror: mirror, context: context)
            return RepoRebaseResult(rebased: outcome.done, commit: outcome.commit, pushed: outcome.pushed, conflicts: outcome.conflicts, resolved: outcome.resolved, tests: outcome.tests)
        }
    }

    /// The common course of a merge and a rebase. Idempotent: when `incoming` is already in the branch on the remote
    /// (a retried task whose first attempt pushed) it returns the branch as it is and changes nothing.
    func integrate(_ plan: IntegrationPlan, mirror: Mirror, context: TaskContext) async throws -> IntegrationOutcome {
        if try await mirror.isAncestor(plan.incoming, of: plan.branchCommit) {
            return IntegrationOutcome(done: true, commit: plan.branchCommit, pushed: plan.push)
        }
        return try await workspace.withWorktree(mirror, task: context.task, at: plan.branchCommit) { worktree in
            await context.progress("\(plan.strategy == .report ? "integrating" : "integrating with strategy \(plan.strategy.rawValue)") into \(plan.branch)", percent: 20)
            var step = try await plan.start(worktree, plan.incoming)
            var resolved: [String] = []
            while case .conflicted(let paths) = step {
                await context.progress("resolving \(paths.count) conflicted file\(paths.count == 1 ? "" : "s") (\(plan.strategy.rawValue))", percent: 40)
                switch try await resolver.resolve(paths, in: worktree, strategy: plan.strategy) {
                case .unresolved(let conflicts):
                    try await plan.abort(worktree)
                    return IntegrationOutcome(done: false, pushed: false, conflicts: conflicts)
                case .resolved(let files):
                    resolved += files.filter { !resolved.contains($0) }
                    step = try await plan.proceed(worktree)
                }
            }
            let head = try await worktree.head()
            let resolvedPaths = resolved.isEmpty ? nil : resolved
            var tests: TestRunReport?
            if let argv = plan.testCommand {
                await context.progress("running \(argv.joined(separator: " "))", percent: 70)
                let report = try await worktree.runTests(argv)
                guard report.passed else { return IntegrationOutcome(done: false, pushed: false, resolved: resolvedPaths, tests: report) }
                tests = report
            }
            if plan.push {
                await context.progress("pushing \(plan.branch)", percent: 85)
                try await mirror.push(["\(head):refs/heads/\(plan.branch)"], leases: ["refs/heads/\(plan.branch)": plan.branchCommit])
            }
            return IntegrationOutcome(done: true, commit: head, pushed: plan.push, resolved: resolvedPaths, tests: tests)
        }
    }
}

/// What distinguishes a merge from a rebase for `RepoManager.integrate`.
struct IntegrationPlan: Sendable {
    /// The branch that receives the result (merge target, rebased branch).
    var branch: String
    /// Its commit before, the push lease.
    var branchCommit: String
    /// The commit brought in (merge source, rebase onto).
    var incoming: String
    var strategy: ConflictStrategy
    var push: Bool
    var testCommand: [String]?
    /// Starts the merge or rebase in the work tree.
    var start: @Sendable (Worktree, String) async throws -> Worktree.Outcome
    /// Goes on after the conflicts were resolved and staged.
    var proceed: @Sendable (Worktree) async throws -> Worktree.Outcome
    /// Gives up, leaving nothing changed.
    var abort: @Sendable (Worktree) async throws -> Void
}

/// The fields a merge result and a rebase result share.
struct IntegrationOutcome: Sendable {
    var done: Bool
    var commit: String?
    var pushed: Bool
    var conflicts: [ConflictFile]?
    var resolved: [String]?
    var tests: TestRunReport?
}
