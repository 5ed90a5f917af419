import AgentBase
import Foundation
import Logging

/// How untrusted code runs, from the environment: `SANDBOX` (`bwrap`, the default, or `none` on purpose),
/// `SANDBOX_NETWORK` (`off` by default), `SANDBOX_MEMORY` (address-space limit, default 2 GiB), `SANDBOX_BWRAP` (the
/// bwrap program, default `bwrap` on `PATH`), plus what sandboxed commands must never see: the workspace
/// (`WORKSPACE_DIR`), the agent's `HOME`, `/run/secrets` and every file a `NAME_FILE` variable names.
public struct SandboxConfiguration: Sendable, Hashable {
    /// `SANDBOX`: isolated by bubblewrap, or not at all (set on purpose).
    public enum Mode: String, Sendable, Hashable {
        case bwrap, none
    }

    public var mode: Mode
    /// Whether sandboxed test commands may use the network (`SANDBOX_NETWORK=on`).
    public var network: Bool
    /// Most bytes of address space a sandboxed process may map (`RLIMIT_AS`).
    public var memoryBytes: Int
    /// Most processes (and threads) a sandboxed command may run (`RLIMIT_NPROC`, in bwrap's user namespace).
    public var processLimit: Int
    /// The bwrap program: a name looked up on `PATH`, or a path.
    public var bwrap: String
    /// `PATH` of sandboxed commands (the agent's).
    public var path: String
    /// Directories hidden behind an empty read-only tmpfs.
    public var hiddenDirectories: [String]
    /// Files hidden behind `/dev/null`.
    public var hiddenFiles: [String]

    public init(mode: Mode = .bwrap, network: Bool = false, memoryBytes: Int = 2 << 30, processLimit: Int = 1024, bwrap: String = "bwrap",
                path: String = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin", hiddenDirectories: [String] = [], hiddenFiles: [String] = []) {
        self.mode = mode
        self.network = network
        self.memoryBytes = memoryBytes
        self.processLimit = processLimit
        self.bwrap = bwrap
        self.path = path
        self.hiddenDirectories = hiddenDirectories
        self.hiddenFiles = hiddenFiles
    }

    public init(environment: SwitchboardEnvironment) throws(ConfigurationError) {
        self.init()
        switch environment.value("SANDBOX")?.lowercased() {
        case nil, "bwrap": mode = .bwrap
        case "none": mode = .none
        case let other?:
            throw ConfigurationError(variable: "SANDBOX", message: "'\(other)' is not a sandbox: use bwrap (the default), or none to run untrusted code without isolation on purpose")
        }
        switch environment.value("SANDBOX_NETWORK")?.lowercased() {
        case nil, "off", "false", "0": network = false
        case "on", "true", "1": network = true
        case let other?: throw ConfigurationError(variable: "SANDBOX_NETWORK", message: "'\(other)' is neither on nor off")
        }
        if let text = environment.value("SANDBOX_MEMORY") {
            guard let bytes = Self.bytes(text), bytes >= 16 << 20 else {
                throw ConfigurationError(variable: "SANDBOX_MEMORY", message: "'\(text)' is not a size of at least 16m (bytes, or e.g. 512m, 2g)")
            }
            memoryBytes = bytes
        }
        bwrap = environment.value("SANDBOX_BWRAP") ?? "bwrap"
        path = environment.value("PATH") ?? path
        let process = ProcessInfo.processInfo.environment
        let homes = [environment.value("HOME"), process["HOME"], FileManager.default.homeDirectoryForCurrentUser.path].compactMap { $0 }
        hiddenDirectories = Self.unique([environment.workspaceDirectory] + homes + ["/run/secrets"])
        let secretFiles = environment.values.merging(process) { mine, _ in mine }.filter { $0.key.hasSuffix("_FILE") && !$0.value.isEmpty }.map(\.value)
        hiddenFiles = Self.unique(secretFiles)
    }

    /// The sandbox this configuration describes; `scratch` holds the private `HOME` of `none` mode.
    public func sandbox(scratch: URL) -> any Sandbox {
        switch mode {
        case .bwrap: return BubblewrapSandbox(configuration: self)
        case .none: return UnisolatedSandbox(configuration: self, home: scratch.appendingPathComponent("untrusted-home", isDirectory: true))
        }
    }

    /// Logs, at every start of a service that runs untrusted code, how it runs: a warning with `SANDBOX=none`.
    public func logStart(_ logger: Logger) {
        switch mode {
        case .none:
            logger.warning("SANDBOX=none: test commands and the Claude CLI run WITHOUT isolation, as this service's user, next to its secrets; unset SANDBOX to use bubblewrap")
        case .bwrap:
            logger.info("untrusted code runs in bubblewrap (\(bwrap)): network \(network ? "on" : "off"), memory \(memoryBytes >> 20) MiB")
        }
    }

    /// The environment every sandboxed command starts from: the agent's `PATH`, a private `HOME` and `TMPDIR`, the C
    /// locale; nothing else of the agent's.
    func baseEnvironment(home: String) -> [String: String] {
        ["PATH": path, "HOME": home, "TMPDIR": home, "LANG": "C", "LC_ALL": "C"]
    }

    /// The argv prefix that applies the memory limit and, in a user namespace of its own (where the count starts at
    /// zero), the process limit (`prlimit`, argv only, no shell).
    func limits(prlimit: String, processes: Bool) -> [String] {
        [prlimit, "--as=\(memoryBytes)"] + (processes ? ["--nproc=\(processLimit)"] : []) + ["--"]
    }

    /// `2g`, `512m`, `64k`, `1GiB` or plain bytes.
    static func bytes(_ text: String) -> Int? {
        var digits = text.lowercased().trimmingCharacters(in: .whitespaces)
        for suffix in ["ib", "b"] where digits.hasSuffix(suffix) && digits.count > suffix.count {
            digits.removeLast(suffix.count)
            break
        }
        let scale: Int
        switch digits.last {
        case "k": scale = 1 << 10
        case "m": scale = 1 << 20
        case "g": scale = 1 << 30
        default: scale = 1
        }
        if scale > 1 { digits.removeLast() }
        guard let value = Int(digits), value > 0 else { return nil }
        let (bytes, overflow) = value.multipliedReportingOverflow(by: scale)
        return overflow ? nil : bytes
    }

    private static func unique(_ paths: [String]) -> [String] {
        var seen: Set<String> = []
        return paths.map { URL(fileURLWithPath: $0).standardizedFileURL.path }.filter { $0 != "/" && seen.insert($0).inserted }
    }

    /// The full path of `program` (a path, or a name looked up on `path`), if it is an executable file.
    func executable(_ program: String) -> String? {
        let manager = FileManager.default
        if program.contains("/") { return manager.isExecutableFile(atPath: program) ? program : nil }
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(program)"
            if manager.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
