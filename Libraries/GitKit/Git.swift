import AgentBase
import Foundation

/// The git CLI, run by argv with a scrubbed environment: no system or user configuration (`GIT_CONFIG_NOSYSTEM`,
/// `HOME` in the workspace), no terminal prompts, only ordinary transports, an explicit identity on every command,
/// a time limit per command, and the token only through `GIT_ASKPASS`.
public struct Git: Sendable {
    public let configuration: GitConfiguration
    private let runner: CommandRunner
    private let environment: [String: String]
    /// The environment for other commands run in a work tree (test commands): scrubbed the same way, without the token.
    public let commandEnvironment: [String: String]

    /// Prepares the workspace (`home/`, `bin/git-askpass`); throws when it cannot be written.
    public init(configuration: GitConfiguration, runner: CommandRunner = CommandRunner()) throws(GitError) {
        let workspace = configuration.workspace
        let home = workspace.appendingPathComponent("home", isDirectory: true)
        let askpass: URL
        do {
            try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
            askpass = try Askpass.install(in: workspace.appendingPathComponent("bin", isDirectory: true))
        } catch {
            throw .couldNotRun(command: ["git"], reason: "cannot prepare the workspace \(workspace.path): \(error.localizedDescription)")
        }
        var base: [String: String] = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin",
            "HOME": home.path,
            "XDG_CONFIG_HOME": home.appendingPathComponent(".config").path,
            "LANG": "C",
            "LC_ALL": "C",
            "TMPDIR": NSTemporaryDirectory(),
        ]
        commandEnvironment = base
        base["GIT_CONFIG_NOSYSTEM"] = "1"
        base["GIT_TERMINAL_PROMPT"] = "0"
        base["GIT_ALLOW_PROTOCOL"] = "file:https:http:ssh:git"
        base["GIT_ASKPASS"] = askpass.path
        base["SSH_ASKPASS"] = askpass.path
        base["GIT_SSH_COMMAND"] = "ssh -o BatchMode=yes"
        if let token = configuration.token { base[Askpass.tokenVariable] = token }
        self.environment = base
        self.configuration = configuration
        self.runner = runner
    }

    /// Runs `git <arguments>` in `directory` and returns its standard output; a non-zero exit throws `GitError.failed`.
    @discardableResult
    public func run(_ arguments: [String], in directory: URL) async throws(GitError) -> String {
        let output = try await status(arguments, in: directory)
        guard output.exitCode == 0 else { throw failure(arguments, output) }
        return output.standardOutput
    }

    /// Runs `git <arguments>` and returns how it ended, whatever its exit code; throws only on a timeout or when git
    /// cannot run.
    public func status(_ arguments: [String], in directory: URL) async throws(GitError) -> CommandOutput {
        let argv = [configuration.executable] + settings + arguments
        let output: CommandOutput
        do {
            output = try await runner.run(argv, in: directory, environment: environment, timeout: configuration.timeout)
        } catch .cancelled {
            throw .cancelled(command: ["git"] + arguments)
        } catch {
            throw .couldNotRun(command: ["git"] + arguments, reason: error.description)
        }
        if output.timedOut { throw .timedOut(command: ["git"] + arguments, after: configuration.timeout) }
        return output
    }

    /// The `GitError.failed` for a command that exited non-zero, with the tail of what it printed.
    public func failure(_ arguments: [String], _ output: CommandOutput) -> GitError {
        let said = output.standardError.isEmpty ? output.standardOutput : output.standardError
        return .failed(command: ["git"] + arguments, exitCode: output.exitCode, stderr: CommandOutput.tail(said.trimmingCharacters(in: .whitespacesAndNewlines), lines: 12))
    }

    /// `-c` settings of every command: the identity commits are made with, conflicts with the common ancestor (diff3),
    /// and an editor that accepts what it is given (nothing ever waits for a person).
    private var settings: [String] {
        ["user.name=\(configuration.authorName)", "user.email=\(configuration.authorEmail)", "merge.conflictStyle=diff3", "core.editor=true",
         "advice.detachedHead=false", "init.defaultBranch=main"].flatMap { ["-c", $0] }
    }

    /// Runs a command that is not git (a test command) in `directory` with `commandEnvironment` and its own time limit.
    public func runCommand(_ argv: [String], in directory: URL, timeout: Duration) async throws(CommandError) -> CommandOutput {
        try await runner.run(argv, in: directory, environment: commandEnvironment, timeout: timeout, combineOutput: true)
    }
}
