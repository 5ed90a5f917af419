import Foundation

/// `SANDBOX=none`, chosen on purpose: the command runs as the agent's user with the whole file system and the
/// network, but still with a clean environment (none of the agent's variables), a `HOME` of its own (never git's) and
/// the memory limit. Services that run untrusted code warn about it at every start.
public struct UnisolatedSandbox: Sandbox {
    public let configuration: SandboxConfiguration
    /// The commands' `HOME` and `TMPDIR`, created when needed.
    public let home: URL

    public init(configuration: SandboxConfiguration, home: URL) {
        self.configuration = configuration
        self.home = home
    }

    public var mode: SandboxConfiguration.Mode { .none }

    public func launch(_ command: SandboxCommand) throws(SandboxError) -> SandboxLaunch {
        guard !command.argv.isEmpty else { throw SandboxError("cannot run an empty command") }
        do {
            try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw SandboxError("cannot create the HOME of untrusted commands at \(home.path): \(error.localizedDescription)")
        }
        // No process limit here: RLIMIT_NPROC would count every process and thread of this user, the agent's included.
        let limits = configuration.executable("prlimit").map { configuration.limits(prlimit: $0, processes: false) } ?? []
        var environment = configuration.baseEnvironment(home: home.path).merging(command.environment) { _, extra in extra }
        if let kept = command.home { environment["HOME"] = kept.path }
        return SandboxLaunch(argv: limits + command.argv, environment: environment)
    }

    public func startFailure(exitCode: Int32?, output: String) -> SandboxError? { nil }
}
