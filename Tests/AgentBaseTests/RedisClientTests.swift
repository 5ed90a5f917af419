@testable import AgentBase
import Foundation
import SwitchboardTesting
import Testing

/// The hiredis client: URL parsing, binary-safe commands, pipelining, typed errors, timeouts.
struct RedisClientTests {
    @Test("REDIS_URL forms", arguments: [
        ("redis://127.0.0.1:6379/0", "127.0.0.1", 6379, nil, nil, 0),
        ("redis://localhost", "localhost", 6379, nil, nil, 0),
        ("redis://:s3cret@cache.internal:6380/2", "cache.internal", 6380, nil, "s3cret", 2),
        ("redis://app:p%40ss@10.0.0.5:7000/1", "10.0.0.5", 7000, "app", "p@ss", 1),
        ("redis://[::1]:6390/3", "::1", 6390, nil, nil, 3),
    ] as [(String, String, Int, String?, String?, Int)])
    func parsesURLs(url: String, host: String, port: Int, user: String?, password: String?, database: Int) throws {
        let configuration = try RedisConfiguration(url: url)
        #expect(configuration.host == host)
        #expect(configuration.port == port)
        #expect(configuration.username == user)
        #expect(configuration.password == password)
        #expect(configuration.database == database)
        #expect(!configuration.redactedURL.contains("s3cret"))
    }

    @Test("bad URLs are refused with a reason", arguments: ["http://x", "rediss://x:6379", "redis://x:99999", "redis://x/abc"])
    func refusesBadURLs(url: String) {
        #expect(throws: RedisError.self) { try RedisConfiguration(url: url) }
    }

    @Test("commands are binary-safe and pipelined; error replies are typed")
    func commands() async throws {
        let connection = RedisConnection(configuration: try RedisConfiguration(url: try SharedRedis.url()))
        defer { connection.close() }
        let key = "t-binary-\(UUID().uuidString)"
        let value: [UInt8] = [0, 1, 2, 255, 10, 13, 0]
        try await connection.send(RedisCommand(bytes: [Array("SET".utf8), Array(key.utf8), value]))
        #expect(try await connection.send([ "GET", key ]) == .bulk(value))
        let replies = try await connection.pipeline([["INCR", "\(key)-n"], ["INCR", "\(key)-n"], ["GET", "missing-\(key)"], ["LPUSH", key, "x"]])
        #expect(replies[0] == .integer(1))
        #expect(replies[1] == .integer(2))
        #expect(replies[2] == .null)
        guard case .error(let message) = replies[3] else { Issue.record("expected WRONGTYPE"); return }
        #expect(message.hasPrefix("WRONGTYPE"))
        await #expect {
            try await connection.send(["NOSUCHCOMMAND"])
        } throws: { error in
            guard case RedisError.server(let message) = error else { return false }
            return message.contains("unknown command")
        }
        try await connection.send(["DEL", key, "\(key)-n"])
    }

    @Test("many concurrent callers share one connection through automatic pipelining")
    func concurrentCallers() async throws {
        let connection = RedisConnection(configuration: try RedisConfiguration(url: try SharedRedis.url()))
        defer { connection.close() }
        let key = "t-concurrent-\(UUID().uuidString)"
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<2000 { group.addTask { try await connection.send(["INCR", key]) } }
            try await group.waitForAll()
        }
        #expect(try await connection.send(["GET", key]).int == 2000)
        try await connection.send(["DEL", key])
    }

    @Test("no server: a typed connection error after the connect timeout, not a hang")
    func connectionRefused() async throws {
        var configuration = try RedisConfiguration(url: "redis://127.0.0.1:\(try FreePort.find())/0")
        configuration.connectTimeout = .milliseconds(300)
        let connection = RedisConnection(configuration: configuration)
        defer { connection.close() }
        await #expect {
            try await connection.send(["PING"])
        } throws: { error in
            guard case RedisError.connectionFailed(let why) = error else { return false }
            return why.contains("127.0.0.1")
        }
    }

    @Test("a reply slower than the command timeout is a typed timeout; the connection recovers")
    func commandTimeout() async throws {
        var configuration = try RedisConfiguration(url: try SharedRedis.url())
        configuration.commandTimeout = .milliseconds(200)
        let connection = RedisConnection(configuration: configuration)
        defer { connection.close() }
        await #expect {
            try await connection.send(["BLPOP", "t-never-\(UUID().uuidString)", "2"])
        } throws: { error in
            if case RedisError.timeout = error { return true }
            return false
        }
        #expect(try await connection.send(["PING"]) == .status("PONG"))
    }

    @Test("REDIS_PASSWORD / REDIS_PASSWORD_FILE give AUTH when the URL has no password; the URL's own password wins")
    func passwordFromEnvironment() async throws {
        let password = UUID().uuidString
        let server = try RedisServer(extraArguments: ["--requirepass", password])
        defer { server.stop() }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("redis-password-\(UUID().uuidString)")
        try "\(password)\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        for extra in [["REDIS_PASSWORD": password], ["REDIS_PASSWORD_FILE": file.path]] {
            let configuration = try SwitchboardEnvironment(["REDIS_URL": server.url].merging(extra) { $1 }).redisConfiguration()
            let connection = RedisConnection(configuration: configuration)
            defer { connection.close() }
            #expect(try await connection.send(["PING"]) == .status("PONG"), "\(extra.keys)")
        }
        var without = try SwitchboardEnvironment(["REDIS_URL": server.url]).redisConfiguration()
        without.connectTimeout = .milliseconds(200)
        let refused = RedisConnection(configuration: without)
        defer { refused.close() }
        await #expect(throws: RedisError.self) { try await refused.send(["PING"]) }
        let urlWins = try SwitchboardEnvironment(["REDIS_URL": "redis://:\(password)@127.0.0.1:\(server.port)/0", "REDIS_PASSWORD": "not-it"]).redisConfiguration()
        #expect(urlWins.password == password)
        let unreadable = #expect(throws: RedisError.self) { try SwitchboardEnvironment(["REDIS_PASSWORD_FILE": "/nonexistent/redis-password"]).redisConfiguration() }
        #expect(unreadable?.description.contains("REDIS_PASSWORD_FILE: cannot read /nonexistent/redis-password") == true)
    }

    @Test("AUTH and SELECT from the URL")
    func authAndSelect() async throws {
        let server = try RedisServer()
        defer { server.stop() }
        let admin = RedisConnection(configuration: try RedisConfiguration(url: server.url))
        try await admin.send(["ACL", "SETUSER", "app", "on", ">fake-pass-123", "~*", "+@all"])
        admin.close()
        let app = RedisConnection(configuration: try RedisConfiguration(url: "redis://app:fake-pass-123@127.0.0.1:\(server.port)/3"))
        defer { app.close() }
        try await app.send(["SET", "k", "v"])
        let db3 = try await app.send(["CLIENT", "INFO"]).string ?? ""
        #expect(db3.contains("db=3"))
        var wrong = try RedisConfiguration(url: "redis://app:wrong@127.0.0.1:\(server.port)/0")
        wrong.connectTimeout = .milliseconds(200)
        let refused = RedisConnection(configuration: wrong)
        defer { refused.close() }
        await #expect(throws: RedisError.self) { try await refused.send(["PING"]) }
    }
}
