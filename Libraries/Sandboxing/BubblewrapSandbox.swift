import Foundation

/// Runs a command in bubblewrap: the system read-only (`--ro-bind / /`), the workspace, the agent's `HOME` and its
/// secret files hidden, a fresh `/proc` and `/dev`, a private tmpfs `/tmp` as `HOME`, every namespace unshared (no
/// network unless allowed), the work tree the only writable path, killed with its parent, in a new session, under
/// `prlimit` memory and process limits. bwrap is started with exactly the sandbox's environment, so even bwrap itself
/// (PID 1 inside, whose `/proc/1/environ` the command can read) holds none of the agent's variables.
public struct BubblewrapSandbox: Sandbox {
    public let configuration: SandboxConfiguration

    public init(configuration: SandboxConfiguration) {
        self.configuration = configuration
    }

    public var mode: SandboxConfiguration.Mode { .bwrap }

    /// The private `HOME` (and `TMPDIR`) inside the sandbox.
    static let home = "/tmp"
    /// Where a command's kept `HOME` (`SandboxCommand.home`) is bound inside the sandbox.
    static let keptHome = "/tmp/home"

    public func launch(_ command: SandboxCommand) throws(SandboxError) -> SandboxLaunch {
        guard let bwrap = configuration.executable(configuration.bwrap) else {
            throw SandboxError(
                "cannot run untrusted code: bubblewrap (\(configuration.bwrap)) is not installed: install it (apt-get install bubblewrap), or set SANDBOX=none to run test commands and the Claude CLI without isolation on purpose"
            )
        }
        guard let prlimit = configuration.executable("prlimit") else {
            throw SandboxError("cannot run untrusted code: prlimit is not installed: install util-linux (apt-get install util-linux)")
        }
        guard !command.argv.isEmpty else { throw SandboxError("cannot run an empty command") }
        let manager = FileManager.default
        let workTree = command.workTree.standardizedFileURL.path
        var argv = [bwrap, "--die-with-parent", "--new-session", "--unshare-all"]
        if command.network || configuration.network { argv.append("--share-net") }
        argv += ["--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp"]
        let hidden = configuration.hiddenDirectories.filter { directory in
            var isDirectory: ObjCBool = false
            return manager.fileExists(atPath: directory, isDirectory: &isDirectory) && isDirectory.boolValue && !directory.hasPrefix("/tmp/")
        }
        for directory in hidden { argv += ["--tmpfs", directory] }
        for file in configuration.hiddenFiles where manager.fileExists(atPath: file) { argv += ["--ro-bind", "/dev/null", file] }
        argv += ["--bind", workTree, workTree]
        var readOnly = command.readOnly.map { $0.standardizedFileURL.path }
        if let program = command.argv.first, program.hasPrefix("/") { readOnly.append(URL(fileURLWithPath: program).resolvingSymlinksInPath().path) }
        for path in readOnly where manager.fileExists(atPath: path) { argv += ["--ro-bind", path, path] }
        if let home = command.home { argv += ["--bind", home.standardizedFileURL.path, Self.keptHome] }
        for directory in hidden { argv += ["--remount-ro", directory] }
        argv += ["--chdir", workTree, "--"] + configuration.limits(prlimit: prlimit, processes: true) + command.argv
        var environment = configuration.baseEnvironment(home: Self.home).merging(command.environment) { _, extra in extra }
        if command.home != nil { environment["HOME"] = Self.keptHome }
        return SandboxLaunch(argv: argv, environment: environment)
    }

    public func startFailure(exitCode: Int32?, output: String) -> SandboxError? {
        guard exitCode == 1, output.hasPrefix("bwrap: ") else { return nil }
        let said = output.split(separator: "\n").first.map(String.init) ?? output
        return SandboxError(
            "cannot run untrusted code: bubblewrap could not create its sandbox (\(said)); in a container allow user namespaces (see the README's Deploy section: seccomp and AppArmor unconfined, no privileges needed), or set SANDBOX=none to run without isolation on purpose"
        )
    }
}
