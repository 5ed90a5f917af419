import Foundation
import SwitchboardTesting

/// A real repository for a test: a bare repository on disk as the remote (`url`) and a clone (`seed`) that makes
/// commits and pushes them, all with git argv. Removed by `remove()`.
final class GitFixture: Sendable {
    let root: URL
    let remote: URL
    let seed: URL

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("sb-git-\(UUID().uuidString.prefix(8))", isDirectory: true)
        remote = root.appendingPathComponent("remote.git", isDirectory: true)
        seed = root.appendingPathComponent("seed", isDirectory: true)
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try git("init", "--quiet", "--bare", "--initial-branch=main", remote.path, in: root)
        try git("clone", "--quiet", remote.path, seed.path, in: root)
        try commit(on: "main", ["README.md": "# demo\n", "config.txt": "alpha\nbeta\ngamma\n"], "initial commit")
    }

    /// The clone URL the agent is given: the bare repository's path.
    var url: String { remote.path }

    func remove() {
        try? FileManager.default.removeItem(at: root)
    }

    /// Runs git in `directory` (the seed clone by default) and returns its standard output.
    @discardableResult
    func git(_ arguments: String..., in directory: URL? = nil) throws -> String {
        try Self.run(arguments, in: directory ?? seed)
    }

    /// Commits `files` on `branch` (created from `from` when given, else continuing the remote branch) and pushes it.
    @discardableResult
    func commit(on branch: String, from: String? = nil, _ files: [String: String], _ message: String) throws -> String {
        try git("fetch", "--quiet", "origin")
        let start = from.map { "origin/\($0)" } ?? (try? git("rev-parse", "--verify", "--quiet", "origin/\(branch)")).map { _ in "origin/\(branch)" }
        if let start {
            try git("checkout", "--quiet", "-B", branch, start)
        } else {
            try git("checkout", "--quiet", "--orphan", branch)
        }
        for (path, content) in files {
            let file = seed.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(content.utf8).write(to: file)
        }
        try git("add", "--all")
        try git("commit", "--quiet", "-m", message)
        try git("push", "--quiet", "origin", "\(branch):refs/heads/\(branch)")
        return try git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Creates `branch` at `from` on the remote.
    func branch(_ branch: String, from: String) throws {
        try git("push", "--quiet", "origin", "refs/remotes/origin/\(from):refs/heads/\(branch)")
    }

    /// The remote's commit of a branch, or `nil`.
    func head(_ branch: String) throws -> String? {
        let output = try? Self.run(["rev-parse", "--verify", "--quiet", "refs/heads/\(branch)"], in: remote)
        return output.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
    }

    /// The remote's branch names, sorted.
    func branches() throws -> [String] {
        try Self.run(["for-each-ref", "--format=%(refname:short)", "refs/heads/"], in: remote).split(separator: "\n").map(String.init).sorted()
    }

    /// A file's content at a remote branch.
    func file(_ path: String, at branch: String) throws -> String {
        try Self.run(["show", "refs/heads/\(branch):\(path)"], in: remote)
    }

    /// Subjects of the commits of a remote branch, newest first.
    func log(_ branch: String) throws -> [String] {
        try Self.run(["log", "--format=%s", "refs/heads/\(branch)"], in: remote).split(separator: "\n").map(String.init)
    }

    static func run(_ arguments: [String], in directory: URL) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + arguments
        process.currentDirectoryURL = directory
        process.environment = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": directory.path, "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.com", "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.com",
            "GIT_TERMINAL_PROMPT": "0",
        ]
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let said = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestFailure("git \(arguments.joined(separator: " ")) failed: \(String(decoding: said, as: UTF8.self))")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
