@testable import AgentBase
import Foundation
import SwitchboardTesting
import Subprocess
import Testing

/// agentctl as a separate process, against a runner in this one.
@Suite(.serialized)
struct AgentctlTests {
    /// The built agentctl, next to this test binary.
    static var agentctl: String {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("agentctl").path
        if FileManager.default.isExecutableFile(atPath: beside) { return beside }
        return RepositoryPaths.root.appendingPathComponent(".build/debug/agentctl").path
    }

    private static func registry(agent: String = "worker", type: String = Job.type) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sb-registry-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("agents.yaml")
        try """
        version: 1
        agents:
          - name: \(agent)
            description: test worker
            consumes: [\(type)]
            timeout: 30s
            visibility_timeout: 60s
        """.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    private func agentctl(_ arguments: [String], bus: TestBus, registry: URL) async throws -> (status: TerminationStatus, out: String, err: String) {
        let result = try await Subprocess.run(
            .path(.init(Self.agentctl)), arguments: .init(arguments),
            environment: .inherit.updating(["REDIS_URL": bus.url, "SB_PREFIX": bus.keys.prefix, "SB_REGISTRY": registry.path]),
            output: .string(limit: 1 << 20), error: .string(limit: 1 << 20)
        )
        return (result.terminationStatus, result.standardOutput, result.standardError)
    }

    @Test("agentctl send --wait reaches a handler in another process and prints the result")
    func sendWait() async throws {
        let bus = try TestBus()
        let registry = try Self.registry()
        var handlers = AgentHandlers()
        handlers.on(Job.self) { job, context in
            await context.progress("working", percent: 50)
            return JobResult(doubled: job.n * 2)
        }
        let service = RunningService(AgentRunner(configuration: bus.configuration(), broker: bus.broker, handlers: handlers, logger: quietLogger))
        let sent = try await agentctl(["send", Job.type, "--json", #"{"n":21}"#, "--wait", "--timeout", "30"], bus: bus, registry: registry)
        #expect(sent.status == .exited(0), "\(sent.err)")
        let lines = sent.out.split(separator: "\n").map(String.init)
        let task = try #require(lines.first)
        #expect(sent.out.contains(#""doubled" : 42"#))
        #expect(try await bus.status(task) == .completed)
        #expect(sent.err.contains("completed"))

        let shown = try await agentctl(["task", task, "--json"], bus: bus, registry: registry)
        #expect(shown.status == .exited(0))
        #expect(shown.out.contains(#""status" : "COMPLETED""#))

        let agents = try await agentctl(["agents", "--json"], bus: bus, registry: registry)
        #expect(agents.out.contains(#""instance" : "c1""#) || agents.out.contains(#""instance":"c1""#))
        await service.shutdown()
    }

    @Test("agentctl refuses a payload that breaks the schema, and lists and replays dead letters")
    func deadLetters() async throws {
        let bus = try TestBus()
        let registry = try Self.registry(agent: "scraper", type: TodosScrapeRequest.type)
        let schemas = registry.deletingLastPathComponent().appendingPathComponent("schemas")
        try FileManager.default.copyItem(at: RepositoryPaths.schemas, to: schemas)
        let refused = try await agentctl(["send", TodosScrapeRequest.type, "--json", #"{"url": 3}"#], bus: bus, registry: registry)
        #expect(refused.status == .exited(64) || refused.status == .exited(1))
        #expect(refused.err.contains("/url"))
        #expect(try await bus.broker.send(["EXISTS", bus.keys.inbox("scraper")]).int == 0)

        _ = try await bus.broker.publish(Envelope(type: "no.such", payload: "{}"), to: bus.keys.inbox("scraper"))
        var handlers = AgentHandlers()
        handlers.on(TodosScrapeRequest.self) { _, _ in throw AgentError.permanent("unused") }
        let service = RunningService(AgentRunner(configuration: bus.configuration(agent: "scraper"), broker: bus.broker, handlers: handlers, logger: quietLogger))
        try await eventually("dead-lettered") { try await !bus.broker.deadLetters(agent: "scraper", count: 1).isEmpty }
        await service.shutdown()
        let listed = try await agentctl(["dlq", "list", "scraper", "--json"], bus: bus, registry: registry)
        #expect(listed.out.contains("unknown_type"))
        let replayed = try await agentctl(["dlq", "replay", "scraper", "--all"], bus: bus, registry: registry)
        #expect(replayed.status == .exited(0))
        #expect(replayed.out.contains("replayed"))
        #expect(try await bus.broker.deadLetters(agent: "scraper", count: 10).isEmpty)
    }

    @Test("agentctl registry check names the file, line and field of an error")
    func registryCheck() async throws {
        let bus = try TestBus()
        let good = try await agentctl(["registry", "check"], bus: bus, registry: RepositoryPaths.registry)
        #expect(good.status == .exited(0))
        #expect(good.out.hasPrefix("ok: "))
        let file = try Self.registry()
        try "version: 1\nagents:\n  - name: worker\n    consumes: [test.job]\n    retries: 3\n".write(to: file, atomically: true, encoding: .utf8)
        let bad = try await agentctl(["registry", "check"], bus: bus, registry: file)
        #expect(bad.status == .exited(1))
        #expect(bad.out.contains("\(file.path):5: agents[0].retries: unknown field"))
    }

    @Test("agentctl workflows, runs and schedules read the orchestrator's files and run state")
    func orchestration() async throws {
        let bus = try TestBus()
        let workflows = try await agentctl(["workflows"], bus: bus, registry: RepositoryPaths.registry)
        #expect(workflows.status == .exited(0))
        #expect(workflows.out.contains("create_pr") && workflows.out.contains("write:code.write → review:pr.review"))
        _ = try await bus.broker.send(["HSET", bus.keys.run("run-1"), "workflow", "pr_review", "status", "running", "step", "review", "created_at", "1795255200000", "updated_at", "1795255201000"])
        _ = try await bus.broker.send(["ZADD", bus.keys.runs, "1795255200000", "run-1"])
        let runs = try await agentctl(["runs", "--json"], bus: bus, registry: RepositoryPaths.registry)
        #expect(runs.status == .exited(0))
        let listed = try JSONValue(parsing: runs.out)
        #expect(listed[0]?["run"] == "run-1" && listed[0]?["status"] == "running" && listed[0]?["step"] == "review")
        let schedules = try await agentctl(["schedules", "--json"], bus: bus, registry: RepositoryPaths.registry)
        #expect(schedules.status == .exited(0))
        #expect(try JSONValue(parsing: schedules.out) == [])
    }

    @Test("agentctl up starts redis-server with AOF in the data folder and Ctrl-C stops it cleanly")
    func up() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("sb-up-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        let port = try FreePort.find()
        let result = try await Subprocess.run(
            .path(.init(Self.agentctl)), arguments: ["up", "--data", data.path, "--redis-port", String(port)],
            environment: .inherit.updating(["REDIS_URL": nil, "SB_REGISTRY": RepositoryPaths.registry.path, "GATEWAY_PORT": "0"]),
            input: .none, output: .string(limit: 1 << 20), error: .string(limit: 1 << 20)
        ) { execution in
            try await eventually("redis-server listening") { FreePort.canConnect(port) }
            try await Task.sleep(for: .milliseconds(500))  // let the services that are built start too
            let connection = RedisConnection(configuration: try RedisConfiguration(url: "redis://127.0.0.1:\(port)/0"))
            try await connection.send(["SET", "written-before-stop", "1"])
            let appendOnly = try await connection.send(["CONFIG", "GET", "appendonly"])
            connection.close()
            try execution.send(signal: .interrupt)
            return appendOnly.array?.last?.string
        }
        #expect(result.closureResult == "yes")
        #expect(result.terminationStatus == .exited(0), "\(result.standardOutput)")
        #expect(result.standardOutput.contains("SIGINT: stopping"))
        #expect(result.standardOutput.contains(/redis +\| exited: exited\(0\)/))
        #expect(!FreePort.canConnect(port))
        let aof = try FileManager.default.contentsOfDirectory(atPath: data.appendingPathComponent("appendonlydir").path)
        #expect(aof.contains { $0.hasSuffix(".aof") })
    }
}
