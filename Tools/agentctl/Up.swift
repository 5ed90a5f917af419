import AgentBase
import ArgumentParser
import Foundation
import Subprocess
import Synchronization
import SystemPackage
import UnixSignals

/// `agentctl up`: the whole suite locally, without Docker.
struct Up: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the suite locally: a redis-server (AOF, data in ./.data) unless REDIS_URL is set, then every service executable that is built, with one combined log. Ctrl-C stops all cleanly."
    )

    @Option(help: "Folder for Redis data (AOF) and agent workspaces.")
    var data: String = ".data"

    @Option(help: "Port for the local redis-server (used when free; else a free one is picked).")
    var redisPort: Int = 6379

    @Option(name: .customLong("only"), help: "Run only these services (comma-separated), e.g. gateway,scraper.")
    var only: String?

    func run() async throws {
        // Trap the signals first, so a Ctrl-C at any moment stops the children instead of orphaning them.
        let signals = await UnixSignalsSequence(trapping: .sigint, .sigterm)
        var environment = ProcessInfo.processInfo.environment
        let registry = try AgentRegistry.load(path: SwitchboardEnvironment(environment).registryPath)
        let binDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        var wanted = ["gateway"] + registry.agents.map(\.name)
        if let only { wanted = wanted.filter(Set(only.split(separator: ",").map(String.init)).contains) }
        let services = wanted.filter { FileManager.default.isExecutableFile(atPath: binDirectory.appendingPathComponent($0).path) }

        let dataDirectory = URL(fileURLWithPath: data).standardizedFileURL
        try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
        if environment["WORKSPACE_DIR"] == nil { environment["WORKSPACE_DIR"] = dataDirectory.appendingPathComponent("workspace").path }
        var redis: Child?
        if environment["REDIS_URL"]?.isEmpty ?? true {
            guard let port = LoopbackPort.isListening(redisPort) ? LoopbackPort.free() : redisPort else {
                throw CommandFailure("no free port found for redis-server")
            }
            redis = Child(name: "redis", path: try Self.which("redis-server"), arguments: [
                "--port", String(port), "--bind", "127.0.0.1", "--dir", dataDirectory.path,
                "--appendonly", "yes", "--appendfsync", "everysec", "--save", "",
            ], ownProcessGroup: true)
            environment["REDIS_URL"] = "redis://127.0.0.1:\(port)/0"
        }
        let supervisor = Supervisor(width: max(8, (services + ["redis"]).map(\.count).max() ?? 8))
        supervisor.say("agentctl", "REDIS_URL=\(RedisConfiguration.redacted(environment["REDIS_URL"] ?? ""))")
        if services.isEmpty {
            supervisor.say("agentctl", "no service executables next to agentctl in \(binDirectory.path) yet (looked for \(wanted.joined(separator: ", "))); running Redis only. Build them with `swift build`.")
        } else {
            supervisor.say("agentctl", "starting \(services.joined(separator: ", "))")
        }
        let childEnvironment = environment
        let serviceChildren = services.map { Child(name: $0, path: binDirectory.appendingPathComponent($0).path, arguments: [], ownProcessGroup: false) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            if let redis {
                group.addTask { try await supervisor.run(redis, environment: childEnvironment) }
                try await supervisor.waitForRedis(url: childEnvironment["REDIS_URL"] ?? "")
            }
            if !serviceChildren.isEmpty {
                group.addTask {
                    try await withThrowingTaskGroup(of: Void.self) { servicesGroup in
                        for child in serviceChildren {
                            servicesGroup.addTask { try await supervisor.run(child, environment: childEnvironment) }
                        }
                        try await servicesGroup.waitForAll()
                    }
                    supervisor.say("agentctl", "services stopped")
                    supervisor.terminate(names: ["redis"])
                }
            }
            if services.contains("gateway") {
                group.addTask { try await supervisor.showLoginLink() }
            }
            group.addTask {
                for await signal in signals {
                    supervisor.say("agentctl", services.isEmpty ? "\(signal): stopping Redis" : "\(signal): stopping services (they drain in-flight work), then Redis")
                    supervisor.terminate(names: services.isEmpty ? ["redis"] : services)
                    break
                }
            }
            try await group.waitForAll()
        }
    }

    static func which(_ name: String) throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        let directories: [String] = path.split(separator: ":").map(String.init) + ["/usr/sbin", "/usr/local/sbin"]
        for directory in directories {
            let candidate = directory + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw CommandFailure("\(name) is not installed; `make up` installs it (apt-get install redis-server)")
    }
}

/// One process `up` runs.
struct Child: Sendable {
    let name: String
    let path: String
    let arguments: [String]
    /// Redis runs in its own process group so the terminal's Ctrl-C reaches only the services; it stops last.
    let ownProcessGroup: Bool
}

/// Runs children with prefixed output and stops them by name.
final class Supervisor: Sendable {
    private let pids = Mutex<[String: Int32]>([:])
    private let stopped = Mutex<Set<String>>([])
    /// The first-run login link, once the gateway has logged it.
    private let loginLink = Mutex<String?>(nil)
    private let width: Int

    init(width: Int) {
        self.width = width
    }

    func say(_ name: String, _ line: String) {
        let prefix = name.padding(toLength: width, withPad: " ", startingAt: 0)
        Output.line("\(prefix) | \(line)")
    }

    func run(_ child: Child, environment: [String: String]) async throws {
        var options = PlatformOptions()
        if child.ownProcessGroup { options.processGroupID = 0 }
        let overrides = Dictionary(uniqueKeysWithValues: environment.map { (Environment.Key(rawValue: $0.key)!, Optional($0.value)) })
        let result = try await Subprocess.run(
            .path(FilePath(child.path)), arguments: Arguments(child.arguments), environment: .inherit.updating(overrides),
            platformOptions: options, input: .none, output: .sequence, error: .sequence
        ) { execution in
            pids.withLock { $0[child.name] = execution.processIdentifier.value }
            if stopped.withLock({ $0.contains(child.name) }) { try? execution.send(signal: .terminate) }
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { for try await line in execution.standardOutput.strings() { self.say(child.name, line) } }
                group.addTask {
                    for try await line in execution.standardError.strings() {
                        self.say(child.name, line)
                        if child.name == "gateway", let link = LoginBanner.link(in: line) { self.loginLink.withLock { $0 = link } }
                    }
                }
                try await group.waitForAll()
            }
        }
        pids.withLock { $0[child.name] = nil }
        say(child.name, "exited: \(result.terminationStatus)")
    }

    /// Once the gateway has logged its first-run login link, waits for the other services' start lines to pass,
    /// then shows the link last, in a box; gives up when the suite stops first (with tokens configured it is never logged).
    func showLoginLink() async throws {
        while loginLink.withLock({ $0 }) == nil {
            if stopped.withLock({ !$0.isEmpty }) { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        try await Task.sleep(for: .seconds(2))
        guard let link = loginLink.withLock({ $0 }), stopped.withLock({ $0.isEmpty }) else { return }
        for line in LoginBanner.lines(for: link) { say("agentctl", line) }
    }

    func terminate(names: [String]) {
        stopped.withLock { $0.formUnion(names) }
        let targets = pids.withLock { pids in names.compactMap { pids[$0] } }
        for pid in targets { kill(pid, SIGTERM) }
    }

    func waitForRedis(url: String) async throws {
        let configuration = try RedisConfiguration(url: url)
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if LoopbackPort.isListening(configuration.port, host: configuration.host) { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw CommandFailure("redis-server did not start on port \(configuration.port); see its log lines above")
    }
}
