// The `repo.*` operations of the repo manager. Every request names the repository by `repo_url`.

/// `repo.branches`: list the branches of a repository with how far each is ahead of and behind a base.
public struct RepoBranchesRequest: AgentMessage, Hashable {
    public typealias Result = RepoBranchesResult
    public static let type = "repo.branches"

    /// Clone URL of the repository.
    public var repoURL: String
    /// Branch the ahead/behind counts are relative to; the remote's default branch when absent.
    public var base: String?

    enum CodingKeys: String, CodingKey {
        case repoURL = "repo_url"
        case base
    }

    public init(repoURL: String, base: String? = nil) {
        self.repoURL = repoURL
        self.base = base
    }
}

/// The result of `repo.branches`: every branch compared with the base.
public struct RepoBranchesResult: Codable, Sendable, Hashable {
    /// The base branch the counts are relative to.
    public var base: String
    /// The branches, most recently committed first.
    public var branches: [RepoBranchInfo]

    enum CodingKeys: String, CodingKey {
        case base
        case branches
    }

    public init(base: String, branches: [RepoBranchInfo]) {
        self.base = base
        self.branches = branches
    }
}

/// One branch of a repository compared with a base branch.
public struct RepoBranchInfo: Codable, Sendable, Hashable {
    /// Branch name without `refs/heads/`.
    public var name: String
    /// Commits on the branch that are not on the base.
    public var ahead: Int
    /// Commits on the base that are not on the branch.
    public var behind: Int
    /// The branch's head commit.
    public var lastCommit: RepoCommitInfo

    enum CodingKeys: String, CodingKey {
        case name
        case ahead
        case behind
        case lastCommit = "last_commit"
    }

    public init(name: String, ahead: Int, behind: Int, lastCommit: RepoCommitInfo) {
        self.name = name
        self.ahead = ahead
        self.behind = behind
        self.lastCommit = lastCommit
    }
}

/// A commit as shown in branch listings.
public struct RepoCommitInfo: Codable, Sendable, Hashable {
    /// Full commit SHA.
    public var sha: String
    /// First line of the commit message.
    public var subject: String
    /// Author as `Name <email>`.
    public var author: String
    /// Author date, ISO-8601.
    public var date: String

    enum CodingKeys: String, CodingKey {
        case sha
        case subject
        case author
        case date
    }

    public init(sha: String, subject: String, author: String, date: String) {
        self.sha = sha
        self.subject = subject
        self.author = author
        self.date = date
    }
}

/// `repo.branch.create`: create a branch from a ref and push it.
public struct RepoBranchCreateRequest: AgentMessage, Hashable {
    public typealias Result = RepoBranchCreateResult
    public static let type = "repo.branch.create"

    /// Clone URL of the repository.
    public var repoURL: String
    /// Name of the new branch.
    public var name: String
    /// Branch, tag or commit SHA to start from.
    public var from: String

    enum CodingKeys: String, CodingKey {
        case repoURL = "repo_url"
        case name
        case from
    }

    public init(repoURL: String, name: String, from: String) {
        self.repoURL = repoURL
        self.name = name
        self.from = from
    }
}

/// The result of `repo.branch.create`: the branch and the commit it points to.
public struct RepoBranchCreateResult: Codable, Sendable, Hashable {
    /// Name of the branch.
    public var name: String
    /// SHA the branch points to.
    public var commit: String

    enum CodingKeys: String, CodingKey {
        case name
        case commit
    }

    public init(name: String, commit: String) {
        self.name = name
        self.commit = commit
    }
}

/// `repo.branch.delete`: delete a branch on the remote.
public struct RepoBranchDeleteRequest: AgentMessage, Hashable {
    public typealias Result = RepoBranchDeleteResult
    public static let type = "repo.branch.delete"

    /// Clone URL of the repository.
    public var repoURL: String
    /// Name of the branch to delete.
    public var name: String
    /// Delete even when the branch is not merged into the default branch; defaults to `false` when absent.
    public var force: Bool

    enum CodingKeys: String, CodingKey {
        case repoURL = "repo_url"
        case name
        case force
    }

    public init(repoURL: String, name: String, force: Bool = false) {
        self.repoURL = repoURL
        self.name = name
        self.force = force
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        repoURL = try container.decode(String.self, forKey: .repoURL)
        name = try container.decode(String.self, forKey: .name)
        force = try container.decodeIfPresent(Bool.self, forKey: .force) ?? false
    }
}

/// The result of `repo.branch.delete`: whether the branch was deleted and where it pointed.
public struct RepoBranchDeleteResult: Codable, Sendable, Hashable {
    /// Name of the branch.
    public var name: String
    /// Whether this request deleted it (`false` when it did not exist, e.g. on a retry).
    public var deleted: Bool
    /// SHA the branch pointed to before deletion, to restore it if needed.
    public var commit: String?

    enum CodingKeys: String, CodingKey {
        case name
        case deleted
        case commit
    }

    public init(name: String, deleted: Bool, commit: String? = nil) {
        self.name = name
        self.deleted = deleted
        self.commit = commit
    }
}

/// How `repo.merge` and `repo.rebase` handle conflicts.
public enum ConflictStrategy: String, Codable, Sendable, Hashable, CaseIterable {
    /// Stop and report the conflicts without changing anything (the default).
    case report
    /// Resolve each conflict with our side (the merge target; in a rebase, `onto`, as in git).
    case ours
    /// Resolve each conflict with their side (the merge source; in a rebase, the replayed commits of `branch`).
    case theirs
    /// Keep both sides' lines, ours first.
    case union
    /// Ask the configured model to resolve each hunk; without a model (`LLM_PROVIDER=offline`) the task fails saying so.
    case llm
}

/// `repo.merge`: merge `source` into `target`, optionally run tests, and optionally push.
public struct RepoMergeRequest: AgentMessage, Hashable {
    public typealias Result = RepoMergeResult
    public static let type = "repo.merge"

    /// Clone URL of the repository.
    public var repoURL: String
    /// Branch to merge from.
    public var source: String
    /// Branch to merge into.
    public var target: String
    /// What to do with conflicts; defaults to `report` when absent.
    public var strategy: ConflictStrategy
    /// Push `target` after a successful merge (and passing tests); defaults to `false` when absent.
    public var push: Bool
    /// Test command as argv, run on the merge result before pushing.
    public var testCommand: [String]?

    enum CodingKeys: String, CodingKey {
        case repoURL = "repo_url"
        case source
        case target
        case strategy
        case push
        case testCommand = "test_command"
    }

    public init(
        repoURL: String, source: String, target: String, strategy: ConflictStrategy = .report, push: Bool = false,
        testCommand: [String]? = nil
    ) {
        self.repoURL = repoURL
        self.source = source
        self.target = target
        self.strategy = strategy
        self.push = push
        self.testCommand = testCommand
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        repoURL = try container.decode(String.self, forKey: .repoURL)
        source = try container.decode(String.self, forKey: .source)
        target = try container.decode(String.self, forKey: .target)
        strategy = try container.decodeIfPresent(ConflictStrategy.self, forKey: .strategy) ?? .report
        push = try container.decodeIfPresent(Bool.self, forKey: .push) ?? false
        testCommand = try container.decodeIfPresent([String].self, forKey: .testCommand)
    }

    /// Checks that a test command, when given, is not empty.
    public func validate() throws(MessageValidationError) {
        try MessageValidationError.checkArgv(testCommand, type: Self.type)
    }
}

/// The result of `repo.merge`: whether it merged, the merge commit, whether it was pushed, and any conflicts.
public struct RepoMergeResult: Codable, Sendable, Hashable {
    /// Whether the merge completed (conflicts absent or resolved, tests passing when given).
    public var merged: Bool
    /// Head of `target` after the merge, when merged.
    public var commit: String?
    /// Whether `target` was pushed.
    public var pushed: Bool
    /// Conflicts left unresolved, when the merge stopped on them.
    public var conflicts: [ConflictFile]?
    /// Paths whose conflicts the strategy resolved.
    public var resolved: [String]?
    /// Outcome of the test command, when one was given.
    public var tests: TestRunReport?

    enum CodingKeys: String, CodingKey {
        case merged
        case commit
        case pushed
        case conflicts
        case resolved
        case tests
    }

    public init(
        merged: Bool, commit: String? = nil, pushed: Bool, conflicts: [ConflictFile]? = nil, resolved: [String]? = nil,
        tests: TestRunReport? = nil
    ) {
        self.merged = merged
        self.commit = commit
        self.pushed = pushed
        self.conflicts = conflicts
        self.resolved = resolved
        self.tests = tests
    }
}

/// `repo.rebase`: rebase `branch` onto `onto`, optionally run tests, and optionally force-push (with lease).
public struct RepoRebaseRequest: AgentMessage, Hashable {
    public typealias Result = RepoRebaseResult
    public static let type = "repo.rebase"

    /// Clone URL of the repository.
    public var repoURL: String
    /// Branch to rebase.
    public var branch: String
    /// Branch or commit to rebase onto.
    public var onto: String
    /// What to do with conflicts; defaults to `report` when absent.
    public var strategy: ConflictStrategy
    /// Push `branch` (with `--force-with-lease`) after a successful rebase; defaults to `false` when absent.
    public var push: Bool
    /// Test command as argv, run on the rebased branch before pushing.
    public var testCommand: [String]?

    enum CodingKeys: String, CodingKey {
        case repoURL = "repo_url"
        case branch
        case onto
        case strategy
        case push
        case testCommand = "test_command"
    }

    public init(
        repoURL: String, branch: String, onto: String, strategy: ConflictStrategy = .report, push: Bool = false,
        testCommand: [String]? = nil
    ) {
        self.repoURL = repoURL
        self.branch = branch
        self.onto = onto
        self.strategy = strategy
        self.push = push
        self.testCommand = testCommand
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        repoURL = try container.decode(String.self, forKey: .repoURL)
        branch = try container.decode(String.self, forKey: .branch)
        onto = try container.decode(String.self, forKey: .onto)
        strategy = try container.decodeIfPresent(ConflictStrategy.self, forKey: .strategy) ?? .report
        push = try container.decodeIfPresent(Bool.self, forKey: .push) ?? false
        testCommand = try container.decodeIfPresent([String].self, forKey: .testCommand)
    }

    /// Checks that a test command, when given, is not empty.
    public func validate() throws(MessageValidationError) {
        try MessageValidationError.checkArgv(testCommand, type: Self.type)
    }
}

/// The result of `repo.rebase`: whether it rebased, the new head, whether it was pushed, and any conflicts.
public struct RepoRebaseResult: Codable, Sendable, Hashable {
    /// Whether the rebase completed (conflicts absent or resolved, tests passing when given).
    public var rebased: Bool
    /// Head of `branch` after the rebase, when rebased.
    public var commit: String?
    /// Whether `branch` was pushed.
    public var pushed: Bool
    /// Conflicts left unresolved, when the rebase stopped on them.
    public var conflicts: [ConflictFile]?
    /// Paths whose conflicts the strategy resolved.
    public var resolved: [String]?
    /// Outcome of the test command, when one was given.
    public var tests: TestRunReport?

    enum CodingKeys: String, CodingKey {
        case rebased
        case commit
        case pushed
        case conflicts
        case resolved
        case tests
    }

    public init(
        rebased: Bool, commit: String? = nil, pushed: Bool, conflicts: [ConflictFile]? = nil, resolved: [String]? = nil,
        tests: TestRunReport? = nil
    ) {
        self.rebased = rebased
        self.commit = commit
        self.pushed = pushed
        self.conflicts = conflicts
        self.resolved = resolved
        self.tests = tests
    }
}

/// A file with merge conflicts and its conflicting hunks.
public struct ConflictFile: Codable, Sendable, Hashable {
    /// File path relative to the repository root.
    public var path: String
    /// The conflicting hunks in file order.
    public var hunks: [ConflictHunk]

    enum CodingKeys: String, CodingKey {
        case path
        case hunks
    }

    public init(path: String, hunks: [ConflictHunk]) {
        self.path = path
        self.hunks = hunks
    }
}

/// One conflicting hunk: both sides' text and, with diff3 information, the common ancestor's.
public struct ConflictHunk: Codable, Sendable, Hashable {
    /// Our side's lines (newline-terminated).
    public var ours: String
    /// Their side's lines (newline-terminated).
    public var theirs: String
    /// The common ancestor's lines, when known.
    public var base: String?
    /// 1-based line of the conflict marker in the conflicted file.
    public var startLine: Int

    enum CodingKeys: String, CodingKey {
        case ours
        case theirs
        case base
        case startLine = "start_line"
    }

    public init(ours: String, theirs: String, base: String? = nil, startLine: Int) {
        self.ours = ours
        self.theirs = theirs
        self.base = base
        self.startLine = startLine
    }
}

/// `repo.prune`: find branches fully merged into `base` and, unless `dry_run`, delete them on the remote.
public struct RepoPruneRequest: AgentMessage, Hashable {
    public typealias Result = RepoPruneResult
    public static let type = "repo.prune"

    /// Clone URL of the repository.
    public var repoURL: String
    /// Branch that merged branches are measured against; never pruned itself.
    public var base: String
    /// Only list what would be deleted; defaults to `true` when absent.
    public var dryRun: Bool

    enum CodingKeys: String, CodingKey {
        case repoURL = "repo_url"
        case base
        case dryRun = "dry_run"
    }

    public init(repoURL: String, base: String, dryRun: Bool = true) {
        self.repoURL = repoURL
        self.base = base
        self.dryRun = dryRun
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        repoURL = try container.decode(String.self, forKey: .repoURL)
        base = try container.decode(String.self, forKey: .base)
        dryRun = try container.decodeIfPresent(Bool.self, forKey: .dryRun) ?? true
    }
}

/// The result of `repo.prune`: the merged branches and whether they were deleted.
public struct RepoPruneResult: Codable, Sendable, Hashable {
    /// Branches fully merged into the base (deleted, or that would be deleted in a dry run).
    public var branches: [RepoBranchInfo]
    /// Whether the branches were deleted (`false` in a dry run).
    public var deleted: Bool

    enum CodingKeys: String, CodingKey {
        case branches
        case deleted
    }

    public init(branches: [RepoBranchInfo], deleted: Bool) {
        self.branches = branches
        self.deleted = deleted
    }
}
