import AgentBase
import Foundation
import Sandboxing

/// A detached work tree of a mirror, where one task merges, rebases, resolves, commits and tests.
public struct Worktree: Sendable {
    public let directory: URL
    public let mirror: Mirror

    /// How a merge, rebase step or patch left the work tree.
    public enum Outcome: Sendable, Hashable {
        /// Done, nothing left to resolve.
        case clean
        /// Stopped on conflicts in these paths.
        case conflicted([String])
    }

    private var git: Git { mirror.git }

    /// Runs git in the work tree.
    @discardableResult
    public func run(_ arguments: [String]) async throws(GitError) -> String {
        try await git.run(arguments, in: directory)
    }

    /// The commit checked out.
    public func head() async throws(GitError) -> String {
        try await run(["rev-parse", "HEAD"]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `git merge <commit>` (fast-forward when possible), stopping on conflicts.
    public func merge(_ commit: String, message: String) async throws(GitError) -> Outcome {
        try await step(["merge", "--no-edit", "-m", message, commit])
    }

    /// Concludes a merge whose conflicts were resolved and staged.
    public func commitMerge() async throws(GitError) {
        try await run(["commit", "--no-edit", "--quiet"])
    }

    /// Gives up a merge in progress, back to where it started.
    public func abortMerge() async throws(GitError) {
        try await run(["merge", "--abort"])
    }

    /// `git rebase <onto>` of the checked-out commits, stopping on the first conflicting commit.
    public func rebase(onto commit: String) async throws(GitError) -> Outcome {
        try await step(["rebase", "--quiet", commit])
    }

    /// Continues a rebase after its conflicts were resolved and staged (a commit the resolution left empty is dropped).
    public func continueRebase() async throws(GitError) -> Outcome {
        try await step(["rebase", "--continue"])
    }

    /// Gives up a rebase in progress, back to where it started.
    public func abortRebase() async throws(GitError) {
        try await run(["rebase", "--abort"])
    }

    /// Paths with unresolved conflicts.
    public func conflictedPaths() async throws(GitError) -> [String] {
        try await run(["diff", "--name-only", "--diff-filter=U", "-z"]).split(separator: "\0").map(String.init)
    }

    /// Each conflicted file with its hunks (a file without markers, e.g. binary or deleted on one side, has none).
    public func conflicts() async throws(GitError) -> [ConflictFile] {
        var files: [ConflictFile] = []
        for path in try await conflictedPaths() {
            files.append(ConflictFile(path: path, hunks: ConflictMarkers.hunks(in: (try? await read(path)) ?? "")))
        }
        return files
    }

    /// Takes one side's version of a whole file (`git checkout --ours|--theirs`), or its deletion when that side deleted it.
    public func takeSide(_ path: String, ours: Bool) async throws(GitError) {
        _ = try WorktreePath.resolve(path, in: directory)
        let output = try await git.status(["checkout", ours ? "--ours" : "--theirs", "--", path], in: directory)
        if output.exitCode == 0 {
            try await stage([path])
        } else {
            try await run(["rm", "--quiet", "--", path])
        }
    }

    /// The text of a file, by a path that must stay inside the work tree.
    public func read(_ path: String) async throws(GitError) -> String {
        let url = try WorktreePath.resolve(path, in: directory)
        do {
            return try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw .unsafePath(path, reason: "cannot read it as UTF-8 text: \(error.localizedDescription)")
        }
    }

    /// Writes a file, by a path that must stay inside the work tree (directories are created).
    public func write(_ path: String, _ contents: String) async throws(GitError) {
        let url = try WorktreePath.resolve(path, in: directory)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(contents.utf8).write(to: url)
        } catch {
            throw .unsafePath(path, reason: "cannot write it: \(error.localizedDescription)")
        }
    }

    /// `git add` of paths inside the work tree.
    public func stage(_ paths: [String]) async throws(GitError) {
        for path in paths { _ = try WorktreePath.resolve(path, in: directory) }
        try await run(["add", "--"] + paths)
    }

    /// Commits everything staged and returns the new commit.
    public func commit(message: String) async throws(GitError) -> String {
        try await run(["commit", "--quiet", "-m", message])
        return try await head()
    }

    /// Applies a unified patch strictly: `git apply --check` first, then `git apply --index`; nothing changes when it does not fit.
    public func apply(patch: String) async throws(GitError) {
        let file = mirror.git.configuration.workspace.appendingPathComponent("tmp", isDirectory: true).appendingPathComponent("\(UUID().uuidString).patch")
        do {
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(patch.utf8).write(to: file)
        } catch {
            throw .couldNotRun(command: ["git", "apply"], reason: "cannot write the patch file: \(error.localizedDescription)")
        }
        defer { try? FileManager.default.removeItem(at: file) }
        let check = ["apply", "--check", "--whitespace=nowarn", file.path]
        let output = try await git.status(check, in: directory)
        guard output.exitCode == 0 else { throw .patchDoesNotApply(CommandOutput.tail(output.standardError.trimmingCharacters(in: .whitespacesAndNewlines), lines: 12)) }
        try await run(["apply", "--index", "--whitespace=nowarn", file.path])
    }

    /// Runs a test command (argv) in the work tree, in the sandbox (`SANDBOX`), under `GitConfiguration.testTimeout`: it
    /// may write only the work tree, and read the mirror (so git works in it) but not change the work tree's `.git`
    /// file. A command that fails or cannot start is a failed report; only a sandbox that cannot run here throws.
    public func runTests(_ argv: [String]) async throws(SandboxError) -> TestRunReport {
        let limit = git.configuration.testTimeout
        do {
            let output = try await git.runUntrusted(argv, in: directory, readOnly: SandboxCommand.gitPaths(of: directory), timeout: limit)
            var tail = CommandOutput.tail(output.standardOutput, lines: 40)
            if output.timedOut { tail += "\n(killed after \(limit): TEST_TIMEOUT)" }
            return TestRunReport(passed: output.succeeded, outputTail: tail)
        } catch let error as SandboxError {
            throw error
        } catch {
            return TestRunReport(passed: false, outputTail: "\(error)")
        }
    }

    private func step(_ arguments: [String]) async throws(GitError) -> Outcome {
        let output = try await git.status(arguments, in: directory)
        if output.exitCode == 0 { return .clean }
        let paths = try await conflictedPaths()
        guard !paths.isEmpty else { throw git.failure(arguments, output) }
        return .conflicted(paths)
    }
}
