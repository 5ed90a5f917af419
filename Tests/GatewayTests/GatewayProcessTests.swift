import AgentBase
import Foundation
import SwitchboardTesting
import Testing

/// The built `gateway` executable run as a child process, the way a container runs it: real SIGTERM.
@Suite(.serialized)
struct GatewayProcessTests {
    /// The body of a POST with the test token, by curl; empty when nothing answers.
    static func post(_ path: String, port: Int, body: String) throws -> String {
        let curl = Process()
        curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        curl.arguments = ["-s", "--max-time", "5", "-H", "Authorization: Bearer \(GatewayAPITests.token)", "-H", "Content-Type: application/json", "-d", body, "http://127.0.0.1:\(port)\(path)"]
        let output = Pipe()
        curl.standardOutput = output
        try curl.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        curl.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    @Test("SIGTERM with open SSE clients (a task that has not ended, all events): the streams end and the gateway exits 0 at once")
    func sigtermWithOpenStreams() async throws {
        let port = try FreePort.find()
        let gateway = Process()
        gateway.executableURL = URL(fileURLWithPath: RepositoryPaths.executable("gateway"))
        gateway.environment = [
            "REDIS_URL": try SharedRedis.url(), "SB_PREFIX": "gp\(UUID().uuidString.prefix(8).lowercased())", "SB_REGISTRY": RepositoryPaths.registry.path,
            "GATEWAY_HOST": "127.0.0.1", "GATEWAY_PORT": String(port), "GATEWAY_API_TOKENS": "ci:\(GatewayAPITests.token)",
            "GATEWAY_SSE_KEEPALIVE": "60s", "LOG_LEVEL": "warning", "PATH": "/usr/bin:/bin",
        ]
        gateway.standardOutput = FileHandle.nullDevice
        gateway.standardError = FileHandle.nullDevice
        try gateway.run()
        defer { if gateway.isRunning { kill(gateway.processIdentifier, SIGKILL) } }
        var task: String?
        try await waitUntil("the gateway accepts a message", timeout: .seconds(30)) {
            task = (try? JSONValue(parsing: Data(Self.post("/v1/messages", port: port, body: GatewayAPITests.scrape).utf8)))?["task"]?.stringValue
            return task != nil
        }
        let id = try #require(task)
        var connections: [RawHTTPConnection] = []
        for _ in 0..<5 {
            let connection = try RawHTTPConnection(port: port, get: "/v1/tasks/\(id)/events", headers: ["Authorization: Bearer \(GatewayAPITests.token)"])
            #expect(try await connection.read(until: "event: task.snapshot"))
            connections.append(connection)
        }
        // And clients of the all-events stream, which never ends by itself (no GATEWAY_SSE_MAX_AGE here).
        for _ in 0..<3 {
            let connection = try RawHTTPConnection(port: port, get: "/v1/events", headers: ["Authorization: Bearer \(GatewayAPITests.token)"])
            #expect(try await connection.read(until: "200 OK"))
            connections.append(connection)
        }
        let signalled = ContinuousClock.now
        gateway.terminate()
        try await waitUntil("the gateway exits", timeout: .seconds(20)) { !gateway.isRunning }
        #expect(ContinuousClock.now - signalled < .seconds(10), "SIGTERM took \(ContinuousClock.now - signalled)")
        #expect(!gateway.isRunning)
        if !gateway.isRunning {
            #expect(gateway.terminationReason == .exit && gateway.terminationStatus == 0)
        }
        for connection in connections {
            #expect(try await connection.readToEnd(timeout: .seconds(2)))
            connection.close()
        }
    }
}
