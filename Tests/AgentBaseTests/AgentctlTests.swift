@testable import AgentBase
import Foundation
import Subprocess
import SwitchboardTesting
import SystemPackage
import Testing

/// agentctl as a separate process, against a runner in this one.
@Suite(.serialized)
struct AgentctlTests {
    /// The built agentctl, next to this test binary.
    static var agentctl: String { RepositoryPaths.executable("agentctl") }

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
        let service = RunningService(AgentRunner(configuration: bus.configuration(), bus: bus.broker.agent, handlers: handlers, logger: quietLogger))
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

    @Test("agentctl refuses a payload that breaks the schema and publishes nothing")
    func refusesBadPayload() async throws {
        let bus = try TestBus()
        let registry = try Self.registry(agent: "scraper", type: TodosScrapeRequest.type)
        let schemas = registry.deletingLastPathComponent().appendingPathComponent("schemas")
        try FileManager.default.copyItem(at: RepositoryPaths.schemas, to: schemas)
        let refused = try await agentctl(["send", TodosScrapeRequest.type, "--json", #"{"url": 3}"#], bus: bus, registry: registry)
        #expect(refused.status == .exited(64) || refused.status == .exited(1))
        #expect(refused.err.contains("/url"))
        #expect(try await bus.broker.redis.send(["EXISTS", bus.keys.inbox("scraper")]).int == 0)
    }

    @Test("agentctl lists dead letters and replays them: republished with the original type and payload as a new task that runs")
    func deadLettersReplayed() async throws {
        let bus = try TestBus()
        let registry = try Self.registry()
        let stream = bus.keys.inbox("worker")
        let unknown = try await bus.broker.queue.publish(Envelope(type: "no.such", payload: "{}"), to: stream)
        let failing = RunningService(bus.runner(bus.configuration(maxAttempts: 1)) { _, _ in throw AgentError.retryable("dependency down") })
        let job = try await bus.send(Job.type, #"{"n":21}"#)
        try await eventually("both dead-lettered") { try await bus.broker.deadLetters.deadLetters(agent: "worker", count: 10).count == 2 }
        await failing.shutdown()
        let listed = try await agentctl(["dlq", "list", "worker", "--json"], bus: bus, registry: registry)
        #expect(listed.out.contains("unknown_type"))
        #expect(listed.out.contains("max_attempts"))

        let replayed = try await agentctl(["dlq", "replay", "worker", "--all"], bus: bus, registry: registry)
        #expect(replayed.status == .exited(0), "\(replayed.err)")
        #expect(try await bus.broker.deadLetters.deadLetters(agent: "worker", count: 10).isEmpty)
        // One line per dead letter: `replayed <dead letter> as <entry> on <stream>`.
        let lines = replayed.out.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(lines.count == 2)
        var republished: [String: StreamEntry] = [:]
        for words in lines {
            #expect(words.count == 6 && words[0] == "replayed" && words[5] == stream, "\(words)")
            let id = words.count > 3 ? words[3] : ""
            let entry = try #require(try await bus.broker.entry(id, in: stream))
            republished[entry["replay_of"] ?? ""] = entry
        }
        #expect(republished[unknown]?["type"] == "no.such")
        #expect(republished[unknown]?["payload"] == "{}")
        let again = try #require(republished[job])
        #expect(again["type"] == Job.type)
        #expect(again["payload"] == #"{"n":21}"#)
        let task = try #require(again["task"])
        #expect(task.hasPrefix("\(job)-replay-"))

        let healthy = RunningService(bus.runner(bus.configuration()) { job, _ in JobResult(doubled: job.n * 2) })
        try await eventually("the replayed task completed") { try await bus.status(task) == .completed }
        await healthy.shutdown()
        #expect(try await bus.broker.tasks.task(task)?.result == #"{"doubled":42}"#)
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
        _ = try await bus.broker.redis.send(["HSET", "\(bus.keys.prefix):run:run-1", "workflow", "pr_review", "status", "running", "step", "review", "created_at", "1795255200000", "updated_at", "1795255201000"])
        _ = try await bus.broker.redis.send(["ZADD", "\(bus.keys.prefix):runs", "1795255200000", "run-1"])
        let runs = try await agentctl(["runs", "--json"], bus: bus, registry: RepositoryPaths.registry)
        #expect(runs.status == .exited(0))
        let listed = try JSONValue(parsing: runs.out)
        #expect(listed[0]?["run"] == "run-1" && listed[0]?["status"] == "running" && listed[0]?["step"] == "review")
        let schedules = try await agentctl(["schedules", "--json"], bus: bus, registry: RepositoryPaths.registry)
        #expect(schedules.status == .exited(0))
        #expect(try JSONValue(parsing: schedules.out) == [])
    }

    @Test("agentctl sessions lists the coding sessions the gateway keeps, with the running turn and the queue; expired ones are left out")
    func sessions() async throws {
        let bus = try TestBus()
        let prefix = bus.keys.prefix
        _ = try await bus.broker.redis.pipeline([
            ["HSET", "\(prefix):session:telegram:5", "repo_url", "/srv/repos/demo.git", "base", "main", "branch", SessionBranch.name(conversation: "telegram:5"),
             "bound_by", "telegram:42", "bound_at", "1795255200000", "turns", "2", "running", "t-2", "last_task", "t-2", "last_turn_at", "1795255260000"],
            ["RPUSH", "\(prefix):session-queue:telegram:5", #"{"task":"t-3","text":"next","source":"telegram:5"}"#],
            ["ZADD", "\(prefix):sessions", "1795255260000", "telegram:5"], ["ZADD", "\(prefix):sessions", "1795255000000", "telegram:6"],
        ])
        let listed = try await agentctl(["sessions", "--json"], bus: bus, registry: RepositoryPaths.registry)
        #expect(listed.status == .exited(0))
        let sessions = try JSONValue(parsing: listed.out)
        #expect(sessions.arrayValue?.count == 1)
        #expect(sessions[0]?["conversation"] == "telegram:5" && sessions[0]?["repo_url"] == "/srv/repos/demo.git" && sessions[0]?["running"] == "t-2")
        #expect(sessions[0]?["queued"] == 1 && sessions[0]?["turns"] == 2 && sessions[0]?["bound_at"] == "2026-11-21T10:00:00Z")
        let table = try await agentctl(["sessions"], bus: bus, registry: RepositoryPaths.registry)
        #expect(table.out.contains(SessionBranch.name(conversation: "telegram:5")))
        #expect(try await bus.broker.redis.send(["ZCARD", "\(prefix):sessions"]).int == 1)
    }

    @Test("agentctl up starts redis-server with AOF in the data folder and Ctrl-C stops it cleanly")
    func up() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("sb-up-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        let port = try FreePort.find()
        let result = try await Subprocess.run(
            .path(.init(Self.agentctl)), arguments: ["up", "--data", data.path, "--redis-port", String(port)],
            environment: .inherit.updating(["REDIS_URL": nil, "SB_REGISTRY": RepositoryPaths.registry.path, "GATEWAY_PORT": "0", "GATEWAY_API_TOKENS": nil]),
            input: .none, output: .string(limit: 1 << 20), error: .string(limit: 1 << 20)
        ) { execution in
            try await eventually("redis-server listening") { FreePort.canConnect(port) }
            // The agents that are built start too: each announces itself with a heartbeat.
            let broker = try TestBus.makeBroker(url: "redis://127.0.0.1:\(port)/0", keys: KeySpace())
            defer { broker.close() }
            let built = try AgentRegistry.load(path: RepositoryPaths.registry.path).agents.map(\.name).filter {
                FileManager.default.isExecutableFile(atPath: RepositoryPaths.executable($0))
            }
            try await eventually("the built agents are running", timeout: .seconds(60)) {
                for agent in built where try await broker.liveness.liveInstances(agent: agent).isEmpty { return false }
                return true
            }
            let connection = RedisConnection(configuration: try RedisConfiguration(url: "redis://127.0.0.1:\(port)/0"))
            if FileManager.default.isExecutableFile(atPath: RepositoryPaths.executable("gateway")) {
                // No GATEWAY_API_TOKENS: the gateway made an admin token, and agentctl shows its login link last.
                try await eventually("the login link is shown", timeout: .seconds(30)) {
                    try await connection.send(["EXISTS", "sb:gateway:first-run-token"]).int == 1
                }
                try await Task.sleep(for: .seconds(3))
            }
            try await connection.send(["SET", "written-before-stop", "1"])
            let appendOnly = try await connection.send(["CONFIG", "GET", "appendonly"])
            connection.close()
            try execution.send(signal: .interrupt)
            return (appendOnly: appendOnly.array?.last?.string, agents: built)
        }
        #expect(result.closureResult.appendOnly == "yes")
        // Every agent got SIGTERM from agentctl, drained and exited cleanly.
        let lines = result.standardOutput.split(separator: "\n")
        for agent in result.closureResult.agents {
            #expect(lines.contains { $0.hasPrefix("\(agent) ") && $0.hasSuffix("| exited: exited(0)") }, "\(agent)")
        }
        #expect(result.terminationStatus == .exited(0), "\(result.standardOutput)")
        if FileManager.default.isExecutableFile(atPath: RepositoryPaths.executable("gateway")) {
            let banner = try #require(lines.firstIndex { $0.hasSuffix("Open this link to log in:") }, "\(result.standardOutput)")
            let link = try #require(lines[banner...].first { $0.contains("/login#token=sbt_") })
            #expect(link.contains("http://localhost:"), "the gateway binds every interface: \(link)")
            #expect(lines.contains { $0.hasPrefix("gateway ") && $0.contains(link.split(separator: " ").last ?? "-") }, "the gateway logged it whole")
        }
        #expect(result.standardOutput.contains("SIGINT: stopping"))
        #expect(result.standardOutput.contains(/redis +\| exited: exited\(0\)/))
        #expect(!FreePort.canConnect(port))
        let aof = try FileManager.default.contentsOfDirectory(atPath: data.appendingPathComponent("appendonlydir").path)
        #expect(aof.contains { $0.hasSuffix(".aof") })
    }
}
