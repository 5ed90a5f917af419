import Foundation
import Sandboxing

/// A real repository for a test: a bare repository on disk as the remote (`url`) and a clone (`seed`) that makes
/// commits and pushes them, all with git argv (run without blocking the test's threads). Removed by `remove()`.
public final class GitFixture: Sendable {
    public let root: URL
    public let remote: URL
    public let seed: URL

    private init() {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("sb-git-\(UUID().uuidString.prefix(8))", isDirectory: true)
        remote = root.appendingPathComponent("remote.git", isDirectory: true)
        seed = root.appendingPathComponent("seed", isDirectory: true)
    }

    /// A remote whose `main` has one commit with `README.md` and `config.txt` (`alpha`, `beta`, `gamma`).
    public static func make() async throws -> GitFixture {
        let fixture = GitFixture()
        try FileManager.default.createDirectory(at: fixture.root, withIntermediateDirectories: true)
        try await fixture.git("init", "--quiet", "--bare", "--initial-branch=main", fixture.remote.path, in: fixture.root)
        try await fixture.git("clone", "--quiet", fixture.remote.path, fixture.seed.path, in: fixture.root)
        try await fixture.commit(on: "main", ["README.md": "# demo\n", "config.txt": "alpha\nbeta\ngamma\n"], "initial commit")
        return fixture
    }

    /// The clone URL the agent is given: the bare repository's path.
    public var url: String { remote.path }

    /// `SB_REPO_ALLOW` for test agents: every repository under the temporary directory, where fixtures live.
    public static let allowedPrefix = "file://" + FileManager.default.temporaryDirectory.standardizedFileURL.path + "/"

    public func remove() {
        try? FileManager.default.removeItem(at: root)
    }

    /// Runs git in `directory` (the seed clone by default) and returns its standard output.
    @discardableResult
    public func git(_ arguments: String..., in directory: URL? = nil) async throws -> String {
        try await Self.run(arguments, in: directory ?? seed)
    }

    /// Commits `files` on `branch` (created from `from` when given, else continuing the remote branch) and pushes it.
    @discardableResult
    public func commit(on branch: String, from: String? = nil, _ files: [String: String], _ message: String) async throws -> String {
        try await git("fetch", "--quiet", "origin")
        var start = from.map { "origin/\($0)" }
        if start == nil, (try? await git("rev-parse", "--verify", "--quiet", "origin/\(branch)")) != nil { start = "origin/\(branch)" }
        if let start {
            try await git("checkout", "--quiet", "-B", branch, start)
        } else {
            try await git("checkout", "--quiet", "--orphan", branch)
        }
        for (path, content) in files {
            let file = seed.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(content.utf8).write(to: file)
        }
        try await git("add", "--all")
        try await git("commit", "--quiet", "-m", message)
        try await git("push", "--quiet", "origin", "\(branch):refs/heads/\(branch)")
        return try await git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Creates `branch` at `from` on the remote.
    public func branch(_ branch: String, from: String) async throws {
        try await git("push", "--quiet", "origin", "refs/remotes/origin/\(from):refs/heads/\(branch)")
    }

    /// The remote's commit of a branch, or `nil`.
    public func head(_ branch: String) async throws -> String? {
        let output = try? await Self.run(["rev-parse", "--verify", "--quiet", "refs/heads/\(branch)"], in: remote)
        return output.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
    }

    /// The remote's branch names, sorted.
    public func branches() async throws -> [String] {
        try await Self.run(["for-each-ref", "--format=%(refname:short)", "refs/heads/"], in: remote).split(separator: "\n").map(String.init).sorted()
    }

    /// A file's content at a remote branch.
    public func file(_ path: String, at branch: String) async throws -> String {
        try await Self.run(["show", "refs/heads/\(branch):\(path)"], in: remote)
    }

    /// Subjects of the commits of a remote branch, newest first.
    public func log(_ branch: String) async throws -> [String] {
        try await Self.run(["log", "--format=%s", "refs/heads/\(branch)"], in: remote).split(separator: "\n").map(String.init)
    }

    public static func run(_ arguments: [String], in directory: URL) async throws -> String {
        let environment = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": directory.path, "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.com", "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.com",
            "GIT_TERMINAL_PROMPT": "0",
        ]
        let output = try await CommandRunner().run(["git"] + arguments, in: directory, environment: environment, timeout: .seconds(60))
        guard output.succeeded else { throw TestFailure("git \(arguments.joined(separator: " ")) failed: \(output.standardError)") }
        return output.standardOutput
    }
}
