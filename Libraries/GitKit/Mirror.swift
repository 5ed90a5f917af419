import AgentBase
import Foundation
import Sandboxing

/// The bare mirror of one repository in the workspace: its branches and tags as they were on the remote at the
/// last fetch. Branch work happens in `Worktree`s; the mirror's own refs only ever follow the remote.
public struct Mirror: Sendable {
    public let repository: RepositoryURL
    public let directory: URL
    public let git: Git

    init(repository: RepositoryURL, directory: URL, git: Git) {
        self.repository = repository
        self.directory = directory
        self.git = git
    }

    /// Runs git in the mirror.
    @discardableResult
    public func run(_ arguments: [String]) async throws(GitError) -> String {
        try await git.run(arguments, in: directory)
    }

    /// Runs a git command that talks to the remote (fetch, push): the only commands that may get the token.
    @discardableResult
    func transfer(_ arguments: [String]) async throws(GitError) -> String {
        try await git.run(arguments, in: directory, remote: repository)
    }

    /// The remote's default branch (its `HEAD` when the mirror was cloned).
    public func defaultBranch() async throws(GitError) -> String {
        try await run(["symbolic-ref", "--short", "HEAD"]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The commit a branch, tag or commit SHA names; `GitError.unknownRef` when none.
    public func commit(_ ref: String) async throws(GitError) -> String {
        guard !ref.isEmpty, !ref.hasPrefix("-"), !ref.contains(".."), !ref.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .unknownRef(ref, repository: repository.url)
        }
        for candidate in ["refs/heads/\(ref)", "refs/tags/\(ref)", ref] {
            let output = try await git.status(["rev-parse", "--verify", "--quiet", "\(candidate)^{commit}"], in: directory)
            if output.exitCode == 0 { return output.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines) }
        }
        throw .unknownRef(ref, repository: repository.url)
    }

    /// The commit `refs/heads/<name>` points to, or `nil` when there is no such branch.
    public func branchCommit(_ name: String) async throws(GitError) -> String? {
        let output = try await git.status(["rev-parse", "--verify", "--quiet", "refs/heads/\(name)^{commit}"], in: directory)
        return output.exitCode == 0 ? output.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines) : nil
    }

    /// Every branch with its head commit, most recently committed first; only those merged into `mergedInto` when given.
    public func branches(mergedInto commit: String? = nil) async throws(GitError) -> [Branch] {
        var arguments = ["for-each-ref", "--sort=-committerdate", "--format=%(refname:short)%00%(objectname)%00%(subject)%00%(authorname) %(authoremail)%00%(authordate:iso-strict)"]
        if let commit { arguments.append("--merged=\(commit)") }
        let output = try await run(arguments + ["refs/heads/"])
        return output.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: "\0", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 5 else { return nil }
            return Branch(name: fields[0], commit: RepoCommitInfo(sha: fields[1], subject: fields[2], author: fields[3], date: fields[4]))
        }
    }

    /// How many commits `commit` has that `base` lacks (ahead) and the other way round (behind).
    public func aheadBehind(_ commit: String, base: String) async throws(GitError) -> (ahead: Int, behind: Int) {
        let counts = try await run(["rev-list", "--left-right", "--count", "\(base)...\(commit)"]).split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
        guard counts.count == 2 else { throw .failed(command: ["git", "rev-list", "--left-right", "--count"], exitCode: 0, stderr: "unexpected output") }
        return (ahead: counts[1], behind: counts[0])
    }

    /// Whether `commit` is reachable from `other` (everything in it is already in `other`).
    public func isAncestor(_ commit: String, of other: String) async throws(GitError) -> Bool {
        let arguments = ["merge-base", "--is-ancestor", commit, other]
        let output = try await git.status(arguments, in: directory)
        switch output.exitCode {
        case 0: return true
        case 1: return false
        default: throw git.failure(arguments, output)
        }
    }

    /// Throws `GitError.invalidBranchName` unless git accepts `name` as a branch name.
    public func checkBranchName(_ name: String) async throws(GitError) {
        guard !name.hasPrefix("-") else { throw .invalidBranchName(name) }
        let output = try await git.status(["check-ref-format", "--branch", name], in: directory)
        guard output.exitCode == 0 else { throw .invalidBranchName(name) }
    }

    /// Pushes refspecs to the remote in one atomic push (`sha:refs/heads/name` to set, `:refs/heads/name` to delete);
    /// `leases` adds `--force-with-lease=<ref>:<expected sha>` for each entry.
    public func push(_ refspecs: [String], leases: [String: String] = [:]) async throws(GitError) {
        let leaseOptions = leases.sorted { $0.key < $1.key }.map { "--force-with-lease=\($0.key):\($0.value)" }
        try await transfer(["push", "--porcelain", "--atomic"] + leaseOptions + ["origin"] + refspecs)
    }

    /// The diff of `head` against the merge base of `base` and `head` (`git diff base...head`), as a patch and per file.
    public func diff(base: String, head: String) async throws(GitError) -> Diff {
        let range = "\(try await commit(base))...\(try await commit(head))"
        let options = ["diff", "--no-color", "--no-ext-diff", "--no-textconv", "--find-renames"]
        let patch = try await run(options + ["-U3", range])
        let numstat = try await run(options + ["--numstat", "-z", range])
        return Diff(patch: patch, files: DiffFile.parse(numstat: numstat))
    }
}

/// A branch and its head commit.
public struct Branch: Sendable, Hashable {
    public var name: String
    public var commit: RepoCommitInfo
}
