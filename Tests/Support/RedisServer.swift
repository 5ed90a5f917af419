import AgentBase
import Foundation
import Synchronization

/// A real `redis-server` started by a test on a free loopback port, in a temp dir of its own.
/// It can be killed (SIGKILL) and started again on the same port to test reconnects.
public final class RedisServer: Sendable {
    public let port: Int
    public let directory: URL
    public let appendOnly: Bool
    /// Extra `redis-server` arguments (e.g. `--requirepass`).
    public let extraArguments: [String]
    private let process = Mutex<Process?>(nil)

    public var url: String { "redis://127.0.0.1:\(port)/0" }

    public init(appendOnly: Bool = false, extraArguments: [String] = []) throws {
        port = try FreePort.find()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("sb-redis-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        self.appendOnly = appendOnly
        self.extraArguments = extraArguments
        try start()
    }

    public func start() throws {
        let server = Process()
        server.executableURL = URL(fileURLWithPath: try Self.executable())
        var arguments = ["--port", String(port), "--bind", "127.0.0.1", "--dir", directory.path, "--save", "", "--daemonize", "no", "--loglevel", "warning"]
        arguments += appendOnly ? ["--appendonly", "yes", "--appendfsync", "always"] : ["--appendonly", "no"]
        arguments += extraArguments
        server.arguments = arguments
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        process.withLock { $0 = server }
        try waitUntilReady()
    }

    /// SIGKILL, as a crash would.
    public func kill() {
        guard let server = process.withLock({ server in defer { server = nil }; return server }) else { return }
        Foundation.kill(server.processIdentifier, SIGKILL)
        let deadline = Date().addingTimeInterval(5)
        while server.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        while FreePort.canConnect(port) && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
    }

    public func stop() {
        kill()
        try? FileManager.default.removeItem(at: directory)
    }

    deinit { stop() }

    private func waitUntilReady() throws {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if FreePort.canConnect(port) { return }
            Thread.sleep(forTimeInterval: 0.02)
        }
        throw TestFailure("redis-server did not start on port \(port)")
    }

    public static func executable() throws -> String {
        for candidate in ["/usr/bin/redis-server", "/usr/local/bin/redis-server", "/usr/sbin/redis-server"] where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        throw TestFailure("redis-server is not installed (make test installs it)")
    }
}

/// Loopback ports for test servers.
public enum FreePort {
    public static func find() throws -> Int {
        guard let port = LoopbackPort.free() else { throw TestFailure("no free loopback port") }
        return port
    }

    public static func canConnect(_ port: Int) -> Bool { LoopbackPort.isListening(port) }
}

public struct TestFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
