import AgentBase
import Foundation

/// Where untrusted code runs (test commands, the Claude CLI): `BubblewrapSandbox`, or `UnisolatedSandbox` when
/// `SANDBOX=none` is set on purpose. A sandbox only rewrites a command; `CommandRunner` runs it (argv, time limit,
/// its own session, killed past the limit).
public protocol Sandbox: Sendable {
    /// How commands are isolated, for logs and messages.
    var mode: SandboxConfiguration.Mode { get }
    /// The argv and the whole environment that start `command` this sandbox's way.
    func launch(_ command: SandboxCommand) throws(SandboxError) -> SandboxLaunch
    /// The error when a run's output says the sandbox itself could not start (`nil` when the command ran).
    func startFailure(exitCode: Int32?, output: String) -> SandboxError?
}

extension Sandbox {
    /// Runs `command` to the end with standard error merged into standard output (test commands); a non-zero exit or
    /// a timeout is a result. Throws `SandboxError` when the sandbox cannot run it, `CommandError` when nothing ran.
    public func run(_ command: SandboxCommand, runner: CommandRunner, timeout: Duration) async throws -> CommandOutput {
        let prepared = try launch(command)
        let output = try await runner.run(prepared.argv, in: command.workTree, environment: prepared.environment, timeout: timeout, combineOutput: true)
        if let failure = startFailure(exitCode: output.exitCode, output: output.standardOutput) { throw failure }
        return output
    }

    /// Runs `command` like `run`, with `input` on its standard input and each line of its standard output handed to
    /// `onLine` as it is printed (the Claude CLI); the returned output holds standard error only.
    public func streamLines(_ command: SandboxCommand, input: String, runner: CommandRunner, timeout: Duration, onLine: @escaping @Sendable (String) async -> Void) async throws -> CommandOutput {
        let prepared = try launch(command)
        let output = try await runner.streamLines(prepared.argv, in: command.workTree, environment: prepared.environment, input: input, timeout: timeout, onLine: onLine)
        if let failure = startFailure(exitCode: output.exitCode, output: output.standardError) { throw failure }
        return output
    }
}

/// A command from untrusted input and what it may touch.
public struct SandboxCommand: Sendable, Hashable {
    public var argv: [String]
    /// Its working directory, and the only path it may write.
    public var workTree: URL
    /// Paths it may read besides the system, bound read-only after the work tree (so a path inside the work tree, such
    /// as a work tree's `.git` file, stays as it is).
    public var readOnly: [URL]
    /// Variables it gets besides `PATH`, `HOME`, `TMPDIR`, `LANG` and `LC_ALL` (e.g. a model's key); nothing else of
    /// the agent's environment ever reaches it.
    public var environment: [String: String]
    /// Whether it may use the network whatever `SANDBOX_NETWORK` says (the Claude CLI needs its model API).
    public var network: Bool
    /// A folder kept from one run to the next that becomes its `HOME` (writable; the Claude CLI keeps its sessions
    /// there); nil gives it a fresh, empty `HOME`.
    public var home: URL?

    public init(argv: [String], workTree: URL, readOnly: [URL] = [], environment: [String: String] = [:], network: Bool = false, home: URL? = nil) {
        self.argv = argv
        self.workTree = workTree
        self.readOnly = readOnly
        self.environment = environment
        self.network = network
        self.home = home
    }

    /// What git in a linked work tree needs to read, and what must not change: the work tree's `.git` file (kept as it
    /// is, so it cannot be pointed at a repository with hooks or fsmonitor of the command's choosing) and the
    /// repository it points to (`gitdir:` and its `commondir`, i.e. the mirror). Empty when `.git` is not such a file.
    public static func gitPaths(of workTree: URL) -> [URL] {
        let file = workTree.appendingPathComponent(".git")
        guard let text = try? String(contentsOf: file, encoding: .utf8), text.hasPrefix("gitdir: ") else { return [] }
        let gitDirectory = resolve(text.dropFirst("gitdir: ".count).trimmingCharacters(in: .whitespacesAndNewlines), against: workTree)
        let common = (try? String(contentsOf: gitDirectory.appendingPathComponent("commondir"), encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        let repository = common.map { resolve($0, against: gitDirectory) } ?? gitDirectory
        return [repository, file]
    }

    private static func resolve(_ path: String, against directory: URL) -> URL {
        (path.hasPrefix("/") ? URL(fileURLWithPath: path) : directory.appendingPathComponent(path)).standardizedFileURL
    }
}

/// The argv and the complete environment `CommandRunner` starts a sandboxed command with.
public struct SandboxLaunch: Sendable, Hashable {
    public var argv: [String]
    public var environment: [String: String]
}

/// A sandbox that cannot run commands here, saying what to install or set; a task that needs it fails with
/// `error_code` `sandbox_unavailable` (never a silent run without isolation).
public struct SandboxError: Error, Sendable, Hashable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }

    /// The permanent `AgentError` a handler fails with.
    public var agentError: AgentError { .permanent(message, code: "sandbox_unavailable") }
}
