import AgentBase
import Foundation

/// An agent's git workspace (`WORKSPACE_DIR/<agent>`): `mirrors/<hash>.git`, a bare mirror per repository cloned
/// once and fetched after; `worktrees/<hash>-<task>`, a fresh work tree per task, removed when the task is done;
/// `home/` (git's empty `HOME`), `git/config` (its empty global configuration) and `bin/git-askpass`; with `SANDBOX=none`
/// also `untrusted-home/`, the `HOME` of test commands. Hold the repository's lock (`RepositoryLocks`) around both.
public struct GitWorkspace: Sendable {
    public let git: Git

    public init(git: Git) {
        self.git = git
    }

    public var root: URL { git.configuration.workspace }

    /// The repository a request names (a clone URL, a local path, or `owner/name` of the forge), checked against the
    /// allow-list (`GitError.forbiddenRepository`) and as a URL git may see.
    public func repository(_ text: String) throws(GitError) -> RepositoryURL {
        let given = try RepositoryURL(text)
        let url: String
        do {
            url = try git.configuration.policy.cloneURL(given.url)
        } catch {
            throw .forbiddenRepository(error)
        }
        return try RepositoryURL(url)
    }

    /// The mirror of `repository` (which must pass the allow-list): cloned (`git clone --bare`) on first use, fetched
    /// with `--prune` on every later one.
    public func mirror(_ repository: RepositoryURL) async throws(GitError) -> Mirror {
        do {
            try git.configuration.policy.check(repository.url)
        } catch {
            throw .forbiddenRepository(error)
        }
        let mirrors = root.appendingPathComponent("mirrors", isDirectory: true)
        let directory = mirrors.appendingPathComponent("\(repository.hash).git", isDirectory: true)
        let mirror = Mirror(repository: repository, directory: directory, git: git)
        if FileManager.default.fileExists(atPath: directory.appendingPathComponent("HEAD").path) {
            try await mirror.transfer(["fetch", "--prune", "--tags", "--force", "--quiet", "origin"])
            return mirror
        }
        let partial = mirrors.appendingPathComponent("\(repository.hash).partial-\(UUID().uuidString)", isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: mirrors, withIntermediateDirectories: true)
            try? FileManager.default.removeItem(at: directory)
            try await git.run(["clone", "--bare", "--quiet", "--", repository.url, partial.path], in: mirrors, remote: repository)
            try await git.run(["config", "remote.origin.fetch", "+refs/heads/*:refs/heads/*"], in: partial)
            try FileManager.default.moveItem(at: partial, to: directory)
        } catch let error as GitError {
            try? FileManager.default.removeItem(at: partial)
            throw error
        } catch {
            try? FileManager.default.removeItem(at: partial)
            throw .couldNotRun(command: ["git", "clone"], reason: "cannot write \(mirrors.path): \(error.localizedDescription)")
        }
        return mirror
    }

    /// Runs `body` in a new detached work tree of `mirror` at `commit`, named after `task`; the work tree is removed
    /// afterwards whatever happens (a leftover of a crashed earlier attempt is removed first).
    public func withWorktree<T>(_ mirror: Mirror, task: String, at commit: String, _ body: (Worktree) async throws -> T) async throws -> T {
        let directory = root.appendingPathComponent("worktrees", isDirectory: true).appendingPathComponent("\(mirror.repository.hash)-\(Self.safeName(task))", isDirectory: true)
        await remove(directory, from: mirror)
        try await mirror.run(["worktree", "add", "--detach", "--quiet", directory.path, commit])
        let worktree = Worktree(directory: directory, mirror: mirror)
        do {
            let result = try await body(worktree)
            await remove(directory, from: mirror)
            return result
        } catch {
            await remove(directory, from: mirror)
            throw error
        }
    }

    private func remove(_ directory: URL, from mirror: Mirror) async {
        if FileManager.default.fileExists(atPath: directory.path) {
            _ = try? await mirror.run(["worktree", "remove", "--force", "--force", directory.path])
            try? FileManager.default.removeItem(at: directory)
        }
        _ = try? await mirror.run(["worktree", "prune"])
    }

    /// A task id as a directory name: letters, digits, `.`, `_` and `-`, at most 64 characters.
    public static func safeName(_ task: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
        let name = String(task.map { allowed.contains($0) ? $0 : "-" }.prefix(64))
        return name.isEmpty || name.hasPrefix(".") ? "task\(name)" : name
    }
}
