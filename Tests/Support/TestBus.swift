import AgentBase
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// The shared test Redis: `REDIS_URL` when the test command exported one, else a server started once.
public enum SharedRedis {
    private static let fallback = Mutex<RedisServer?>(nil)

    public static func stop() {
        fallback.withLock { $0?.stop() }
    }

    public static func url() throws -> String {
        if let url = ProcessInfo.processInfo.environment["REDIS_URL"], !url.isEmpty { return url }
        return try fallback.withLock { server in
            if let server { return server.url }
            let started = try RedisServer()
            server = started
            atexit { SharedRedis.stop() }
            return started.url
        }
    }
}

/// One test's slice of Redis: a unique key prefix, a bus on it, and runners it starts and stops.
public final class TestBus: Sendable {
    public let url: String
    public let keys: KeySpace
    public let broker: RedisBus

    /// A bus on `prefix` (another process's keys, a gateway's under test, say), else a fresh one.
    public init(url: String? = nil, prefix: String? = nil) throws {
        self.url = try url ?? SharedRedis.url()
        self.keys = KeySpace(prefix: prefix ?? "t\(UUID().uuidString.prefix(8).lowercased())")
        self.broker = try Self.makeBroker(url: self.url, keys: keys)
    }

    public static func makeBroker(url: String, keys: KeySpace) throws -> RedisBus {
        try RedisBus.quick(url: url, keys: keys)
    }

    /// A new bus (its own connections) on the same prefix, as another replica would have.
    public func replicaBroker() throws -> RedisBus {
        try Self.makeBroker(url: url, keys: keys)
    }

    public func configuration(agent: String = "worker", consumer: String = "c1", concurrency: Int = 4, timeout: Duration = .seconds(30), visibility: Duration = .seconds(60), maxAttempts: Int = 3) -> RunnerConfiguration {
        var configuration = RunnerConfiguration(
            agent: agent, stream: keys.inbox(agent), consumer: consumer, concurrency: concurrency, timeout: timeout,
            visibilityTimeout: visibility, maxAttempts: maxAttempts, backoff: .milliseconds(20)...(.milliseconds(100))
        )
        configuration.readBlock = .milliseconds(100)
        configuration.heartbeatInterval = .milliseconds(200)
        configuration.shutdownGrace = .seconds(5)
        configuration.watchdogInterval = .milliseconds(20)
        return configuration
    }

    /// A runner of the test job on this bus (its own bus when given, as another replica would have).
    public func runner(_ configuration: RunnerConfiguration, broker: RedisBus? = nil, _ body: @escaping @Sendable (Job, TaskContext) async throws -> JobResult) -> AgentRunner {
        var handlers = AgentHandlers()
        handlers.on(Job.self, handler: body)
        return AgentRunner(configuration: configuration, bus: (broker ?? self.broker).agent, handlers: handlers, logger: quietLogger)
    }

    public func send(_ type: String, _ payload: String, agent: String = "worker", task: String? = nil, idempotencyKey: String? = nil) async throws -> String {
        let id = try await broker.queue.publish(Envelope(type: type, payload: payload, task: task, idempotencyKey: idempotencyKey), to: keys.inbox(agent))
        return task ?? id
    }

    public func status(_ task: String) async throws -> TaskStatus? {
        try await broker.tasks.task(task)?.status
    }

    public func events(for task: String) async throws -> [TaskEvent] {
        try await broker.events.events(stream: keys.events, after: "0-0", count: 100_000, block: nil).filter { $0.task == task }
    }

    /// Whether every one of the tasks is COMPLETED.
    public func allCompleted(_ tasks: [String]) async throws -> Bool {
        for task in tasks where try await status(task) != .completed { return false }
        return true
    }

    /// The ids of a stream's entries, oldest first.
    public func streamIDs(_ stream: String) async throws -> [String] {
        (try await broker.redis.send(["XRANGE", stream, "-", "+"]).array ?? []).compactMap { $0.array?.first?.string }
    }

    public func pendingCount(agent: String = "worker") async throws -> Int {
        let reply = try await broker.redis.send(["XPENDING", keys.inbox(agent), agent])
        return reply.array?.first?.int ?? 0
    }
}

/// A runner running in the background the way a service runs it, in a ServiceGroup.
public final class RunningService: Sendable {
    public let runner: AgentRunner
    private let replica: Replica

    public init(_ runner: AgentRunner) {
        self.runner = runner
        self.replica = Replica([runner])
    }

    /// Graceful shutdown (what SIGTERM does) and wait for it to finish.
    public func shutdown() async {
        await replica.shutdown()
    }

    /// Hard stop, as if the process died: nothing more is recorded or acked.
    public func kill() async {
        await replica.kill()
    }
}

public let quietLogger: Logger = {
    var logger = Logger(label: "test")
    logger.logLevel = ProcessInfo.processInfo.environment["TEST_LOG"] == nil ? .critical : .debug
    return logger
}()

/// Polls until the condition holds, or fails after the timeout.
public func eventually(_ what: String, timeout: Duration = .seconds(20), _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(25))
    }
    throw TestFailure("timed out waiting for: \(what)")
}

/// Thread-safe tallies for handler effects.
public final class Tally: Sendable {
    public init() {}

    private let counts = Mutex<[String: Int]>([:])
    private let order = Mutex<[String]>([])

    public func record(_ key: String) {
        counts.withLock { $0[key, default: 0] += 1 }
        order.withLock { $0.append(key) }
    }

    public func count(_ key: String) -> Int { counts.withLock { $0[key] ?? 0 } }
    public var total: Int { counts.withLock { $0.values.reduce(0, +) } }
    public var keys: Set<String> { counts.withLock { Set($0.keys) } }
    public var all: [String: Int] { counts.withLock { $0 } }
    public var sequence: [String] { order.withLock { $0 } }
}

/// A test message: `{"n": 1}` handled by the worker agent.
public struct Job: AgentMessage, Hashable {
    public typealias Result = JobResult
    public static let type = "test.job"
    public var n: Int

    public init(n: Int) { self.n = n }
}

/// The result of a test job.
public struct JobResult: Codable, Sendable, Hashable {
    public var doubled: Int

    public init(doubled: Int) { self.doubled = doubled }
}

extension RedisBus {
    /// One entry of a stream by id (XRANGE id id), nil when it is not there.
    public func entry(_ id: String, in stream: String) async throws -> StreamEntry? {
        guard let parts = try await redis.send(["XRANGE", stream, id, id]).array?.first?.array, let first = parts.first?.string else { return nil }
        return StreamEntry(id: first, fields: parts.count > 1 ? parts[1].fieldPairs : nil)
    }

    /// The newest entry of a stream (XREVRANGE + - COUNT 1), nil when it is empty.
    public func newestEntry(in stream: String) async throws -> StreamEntry? {
        guard let parts = try await redis.send(["XREVRANGE", stream, "+", "-", "COUNT", "1"]).array?.first?.array, let first = parts.first?.string else { return nil }
        return StreamEntry(id: first, fields: parts.count > 1 ? parts[1].fieldPairs : nil)
    }

    /// A bus for tests: quiet, giving up reconnecting after `connectTimeout`, with the given events cap.
    public static func quick(url: String, keys: KeySpace, connectTimeout: Duration = .seconds(2), eventsMaxLength: Int = 1_000_000) throws -> RedisBus {
        var configuration = try RedisConfiguration(url: url)
        configuration.connectTimeout = connectTimeout
        return RedisBus(configuration: configuration, keys: keys, eventsMaxLength: eventsMaxLength, logger: quietLogger)
    }
}
