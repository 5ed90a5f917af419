import AgentBase
import Foundation
import Sandboxing

/// The git CLI, run by argv with a scrubbed environment and hardened for untrusted repositories: no system or user
/// configuration (`GIT_CONFIG_NOSYSTEM`, `GIT_CONFIG_GLOBAL` and `HOME` in the workspace), hooks and fsmonitor off,
/// no credential helpers, only the transports the repository policy needs, no terminal prompts, an explicit identity
/// on every command, a time limit per command, and the token only through `GIT_ASKPASS`, only in the environment of a
/// command that talks to the forge's https host.
public struct Git: Sendable {
    public let configuration: GitConfiguration
    /// Where test commands run (`SANDBOX`).
    public let sandbox: any Sandbox
    private let runner: CommandRunner
    /// Every command's environment, without the token.
    private let environment: [String: String]

    /// Prepares the workspace (`home/`, `git/config`, `bin/git-askpass`); throws when it cannot be written.
    public init(configuration: GitConfiguration, runner: CommandRunner = CommandRunner()) throws(GitError) {
        let workspace = configuration.workspace
        let home = workspace.appendingPathComponent("home", isDirectory: true)
        let globalConfig = workspace.appendingPathComponent("git", isDirectory: true).appendingPathComponent("config")
        let askpass: URL
        do {
            try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: globalConfig.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data().write(to: globalConfig)
            askpass = try Askpass.install(in: workspace.appendingPathComponent("bin", isDirectory: true))
        } catch {
            throw .couldNotRun(command: ["git"], reason: "cannot prepare the workspace \(workspace.path): \(error.localizedDescription)")
        }
        environment = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin",
            "HOME": home.path,
            "XDG_CONFIG_HOME": home.appendingPathComponent(".config").path,
            "LANG": "C",
            "LC_ALL": "C",
            "TMPDIR": NSTemporaryDirectory(),
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CONFIG_GLOBAL": globalConfig.path,
            "GIT_TERMINAL_PROMPT": "0",
            "GIT_ALLOW_PROTOCOL": Self.protocols(configuration.policy).joined(separator: ":"),
            "GIT_ASKPASS": askpass.path,
            "SSH_ASKPASS": askpass.path,
            "GIT_SSH_COMMAND": "ssh -o BatchMode=yes",
        ]
        self.configuration = configuration
        self.runner = runner
        self.sandbox = configuration.sandbox.sandbox(scratch: workspace)
    }

    /// Runs `git <arguments>` in `directory` and returns its standard output; a non-zero exit throws `GitError.failed`.
    /// `remote` names the repository a command talks to (clone, fetch, push): only then can the token be in its
    /// environment, and only when that is the forge's https host.
    @discardableResult
    public func run(_ arguments: [String], in directory: URL, remote: RepositoryURL? = nil) async throws(GitError) -> String {
        let output = try await status(arguments, in: directory, remote: remote)
        guard output.exitCode == 0 else { throw failure(arguments, output) }
        return output.standardOutput
    }

    /// Runs `git <arguments>` and returns how it ended, whatever its exit code; throws only on a timeout or when git
    /// cannot run.
    public func status(_ arguments: [String], in directory: URL, remote: RepositoryURL? = nil) async throws(GitError) -> CommandOutput {
        let argv = [configuration.executable] + settings + arguments
        let output: CommandOutput
        do {
            output = try await runner.run(argv, in: directory, environment: environment(for: remote), timeout: configuration.timeout)
        } catch .cancelled {
            throw .cancelled(command: ["git"] + arguments)
        } catch {
            throw .couldNotRun(command: ["git"] + arguments, reason: error.description)
        }
        if output.timedOut { throw .timedOut(command: ["git"] + arguments, after: configuration.timeout) }
        return output
    }

    /// The environment of a command talking to `remote`: with the token (and the host askpass may answer for) only
    /// when `remote` is an https URL of the forge's host.
    func environment(for remote: RepositoryURL?) -> [String: String] {
        guard let token = configuration.token, let host = configuration.policy.forgeTokenHost, let remote, remote.httpsAuthority == host else {
            return self.environment
        }
        var withToken = self.environment
        withToken[Askpass.tokenVariable] = token
        withToken[Askpass.hostVariable] = host
        return withToken
    }

    /// The `GitError.failed` for a command that exited non-zero, with the tail of what it printed.
    public func failure(_ arguments: [String], _ output: CommandOutput) -> GitError {
        let said = output.standardError.isEmpty ? output.standardOutput : output.standardError
        return .failed(command: ["git"] + arguments, exitCode: output.exitCode, stderr: CommandOutput.tail(said.trimmingCharacters(in: .whitespacesAndNewlines), lines: 12))
    }

    /// `-c` settings of every command: the identity commits are made with, conflicts with the common ancestor (diff3),
    /// an editor that accepts what it is given (nothing ever waits for a person), and what a repository's content or a
    /// tampered configuration must never switch on: hooks, fsmonitor, credential helpers, other transports.
    private var settings: [String] {
        let protocols = ["protocol.allow=never"] + Self.protocols(configuration.policy).map { "protocol.\($0).allow=always" }
        return (["user.name=\(configuration.authorName)", "user.email=\(configuration.authorEmail)", "merge.conflictStyle=diff3", "core.editor=true",
                 "advice.detachedHead=false", "init.defaultBranch=main", "core.hooksPath=/dev/null", "core.fsmonitor=false", "credential.helper=",
                 "credential.useHttpPath=false"] + protocols).flatMap { ["-c", $0] }
    }

    /// The transports git may use: https, ssh and local files, plus http or git only where `SB_REPO_ALLOW` lists such
    /// a prefix.
    static func protocols(_ policy: RepositoryPolicy) -> [String] {
        let listed = ["http", "git"].filter { scheme in policy.allowedPrefixes.contains { $0.hasPrefix("\(scheme)://") } }
        return ["https", "ssh", "file"] + listed
    }

    /// Runs an untrusted command (a test command) in `workTree` through the sandbox, under `timeout`; `readOnly` are
    /// further paths it may read (the mirror its `.git` file points to).
    public func runUntrusted(_ argv: [String], in workTree: URL, readOnly: [URL], timeout: Duration) async throws -> CommandOutput {
        try await sandbox.run(SandboxCommand(argv: argv, workTree: workTree, readOnly: readOnly), runner: runner, timeout: timeout)
    }
}
