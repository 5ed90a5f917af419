import Foundation
import Synchronization

/// A real `redis-server` started by a test on a free loopback port, in a temp dir of its own.
/// It can be killed (SIGKILL) and started again on the same port to test reconnects.
final class RedisServer: Sendable {
    let port: Int
    let directory: URL
    let appendOnly: Bool
    private let process = Mutex<Process?>(nil)

    var url: String { "redis://127.0.0.1:\(port)/0" }

    init(appendOnly: Bool = false) throws {
        port = try FreePort.find()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("sb-redis-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        self.appendOnly = appendOnly
        try start()
    }

    func start() throws {
        let server = Process()
        server.executableURL = URL(fileURLWithPath: try Self.executable())
        var arguments = ["--port", String(port), "--bind", "127.0.0.1", "--dir", directory.path, "--save", "", "--daemonize", "no", "--loglevel", "warning"]
        arguments += appendOnly ? ["--appendonly", "yes", "--appendfsync", "always"] : ["--appendonly", "no"]
        server.arguments = arguments
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        process.withLock { $0 = server }
        try waitUntilReady()
    }

    /// SIGKILL, as a crash would.
    func kill() {
        guard let server = process.withLock({ server in defer { server = nil }; return server }) else { return }
        Foundation.kill(server.processIdentifier, SIGKILL)
        let deadline = Date().addingTimeInterval(5)
        while server.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        while FreePort.canConnect(port) && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
    }

    func stop() {
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

    static func executable() throws -> String {
        for candidate in ["/usr/bin/redis-server", "/usr/local/bin/redis-server", "/usr/sbin/redis-server"] where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        throw TestFailure("redis-server is not installed (make test installs it)")
    }
}

/// Picks a free TCP port on loopback.
enum FreePort {
    static func find() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw TestFailure("bind() failed") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func canConnect(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
