import AgentBase
import Foundation
import GitKit
import Logging
import Sandboxing

/// The `repo-manager` agent: branch listings, branch creation and deletion, merges and rebases with conflict
/// strategies, and pruning, on real repositories kept in its git workspace, one task per repository at a time.
public struct RepoManagerService: SwitchboardService, Sendable {
    public static let name = "repo-manager"

    let workspace: GitWorkspace
    let locks: RepositoryLocks
    let resolver: ConflictResolver

    public init(workspace: GitWorkspace, locks: RepositoryLocks, model: any LanguageModel) {
        self.workspace = workspace
        self.locks = locks
        self.resolver = ConflictResolver(model: model)
    }

    /// Registers a handler for each `repo.*` message type.
    public func register(_ handlers: inout AgentHandlers) {
        handlers.on(RepoBranchesRequest.self) { request, context in try await GitFailure.readable { try await branches(request, context) } }
        handlers.on(RepoBranchCreateRequest.self) { request, context in try await GitFailure.readable { try await createBranch(request, context) } }
        handlers.on(RepoBranchDeleteRequest.self) { request, context in try await GitFailure.readable { try await deleteBranch(request, context) } }
        handlers.on(RepoMergeRequest.self) { request, context in try await GitFailure.readable { try await merge(request, context) } }
        handlers.on(RepoRebaseRequest.self) { request, context in try await GitFailure.readable { try await rebase(request, context) } }
        handlers.on(RepoPruneRequest.self) { request, context in try await GitFailure.readable { try await prune(request, context) } }
    }

    /// The application the `repo-manager` executable runs: git settings and workspace from the environment
    /// (`WORKSPACE_DIR`, `GIT_*`, `TEST_TIMEOUT`, `GITHUB_TOKEN`), repository locks in the same Redis as the broker.
    public static func application(environment: SwitchboardEnvironment, model: any LanguageModel, logger: Logger) throws -> AgentApplication {
        let git = try GitServices(environment: environment, agent: name, logger: logger)
        git.workspace.git.configuration.sandbox.logStart(logger)
        let manager = RepoManagerService(workspace: git.workspace, locks: git.locks, model: model)
        return try AgentApplication(agent: name, environment: environment, logger: logger) { handlers in manager.register(&handlers) }
    }

    /// Runs `body` on the repository's freshly fetched mirror, holding the repository's lock.
    func withMirror<T: Sendable>(_ url: String, _ context: TaskContext, _ body: @escaping @Sendable (Mirror) async throws -> T) async throws -> T {
        let repository = try workspace.repository(url)
        return try await locks.withLock(repository) {
            await context.progress("fetching \(repository)", percent: 5)
            return try await body(try await workspace.mirror(repository))
        }
    }

    /// A branch with how far it is ahead of and behind `base`.
    func info(_ branch: Branch, base: String, in mirror: Mirror) async throws -> RepoBranchInfo {
        let counts = try await mirror.aheadBehind(branch.commit.sha, base: base)
        return RepoBranchInfo(name: branch.name, ahead: counts.ahead, behind: counts.behind, lastCommit: branch.commit)
    }

    /// The commit a branch (not a tag or SHA) points to, or `GitError.unknownRef`.
    func branchCommit(_ name: String, in mirror: Mirror) async throws -> String {
        guard let commit = try await mirror.branchCommit(name) else { throw GitError.unknownRef(name, repository: mirror.repository.url) }
        return commit
    }
}
