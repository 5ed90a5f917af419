import AgentBase
import Foundation
import Orchestrator
import ServiceLifecycle
import Synchronization
import SwitchboardTesting
import Testing
import Workflows

/// One test's orchestrator world: a bus, the real registry, a workflows file written by the test, orchestrator
/// replicas, and scripted agents answering the real message types.
final class Harness: Sendable {
    let bus: TestBus
    let registry: AgentRegistry
    let workflows: WorkflowCatalogue
    let calls = Tally()

    init(workflows yaml: String) throws {
        bus = try TestBus()
        registry = try AgentRegistry.load(path: RepositoryPaths.registry.path)
        workflows = try WorkflowCatalogue.parse(yaml, path: "test-workflows.yaml", registry: registry)
    }

    func configuration(_ consumer: String) -> OrchestratorConfiguration {
        var configuration = OrchestratorConfiguration(consumer: consumer)
        configuration.sweepInterval = .milliseconds(100)
        configuration.pollInterval = .milliseconds(50)
        configuration.readBlock = .milliseconds(100)
        configuration.claimIdle = .milliseconds(500)
        configuration.schedulerTick = .milliseconds(50)
        return configuration
    }

    /// An orchestrator replica: the `workflow.run` runner, the run engine and the scheduler.
    func orchestrator(_ consumer: String, schedules: ScheduleCatalogue? = nil, clock: @escaping @Sendable () -> Date = { Date() }) throws -> Replica {
        let broker = try bus.replicaBroker()
        let agent = OrchestratorService(
            bus: broker, workflows: workflows, schedules: schedules ?? ScheduleCatalogue(schedules: [], path: "none"),
            configuration: configuration(consumer), clock: clock, logger: quietLogger
        )
        var handlers = AgentHandlers(schemas: try SchemaLibrary(directory: RepositoryPaths.schemas))
        agent.register(&handlers)
        var runner = bus.configuration(agent: "orchestrator", consumer: consumer, concurrency: 8, timeout: .seconds(120), visibility: .seconds(180))
        runner.maxAttempts = 3
        return Replica([AgentRunner(configuration: runner, bus: broker.agent, handlers: handlers, logger: quietLogger)] + agent.services)
    }

    /// A scripted agent: `answer` gets the request and the attempt's call number (1, 2, … per step task prefix).
    func agent<M: AgentMessage>(_ name: String, _ type: M.Type, answer: @escaping @Sendable (M, TaskContext) async throws -> M.Result) throws -> Replica {
        var handlers = AgentHandlers(schemas: try SchemaLibrary(directory: RepositoryPaths.schemas))
        let calls = calls
        handlers.on(M.self) { request, context in
            calls.record(M.type)
            return try await answer(request, context)
        }
        return Replica([AgentRunner(configuration: bus.configuration(agent: name, maxAttempts: 1), bus: try bus.replicaBroker().agent, handlers: handlers, logger: quietLogger)])
    }

    /// A scraper whose handler waits at `gate` before it answers.
    func gatedScraper(_ gate: Gate) throws -> Replica {
        try agent("scraper", TodosScrapeRequest.self) { request, _ in
            try await gate.wait()
            return Scripted.scrape(request)
        }
    }

    /// Waits until the run's first step (`scrape`) was cancelled, then opens the gate it was held at.
    func stepCancelled(_ run: String, _ gate: Gate) async throws {
        try await eventually("the step is cancelled") { try await bus.status("\(run)-scrape-0-1") == .cancelled }
        gate.release()
    }

    /// Publishes `workflow.run` and returns its task id.
    func run(_ workflow: String, _ inputs: [String: JSONValue] = [:]) async throws -> String {
        let task = "run-\(UUID().uuidString.prefix(8).lowercased())"
        let payload = try JSONValue(encoding: WorkflowRunRequest(workflow: workflow, inputs: inputs)).jsonString
        _ = try await bus.broker.queue.publish(Envelope(type: WorkflowRunRequest.type, payload: payload, task: task), to: bus.keys.inbox("orchestrator"))
        return task
    }

    /// Waits for the task to end and returns its snapshot.
    func finished(_ task: String, timeout: Duration = .seconds(30)) async throws -> TaskSnapshot {
        try await eventually("task \(task) ends", timeout: timeout) { try await bus.status(task)?.isTerminal == true }
        return try #require(try await bus.broker.tasks.task(task))
    }

    func result(_ snapshot: TaskSnapshot) throws -> WorkflowRunResult {
        try JSONDecoder().decode(WorkflowRunResult.self, from: Data(try #require(snapshot.result).utf8))
    }
}

/// A gate a scripted handler waits at until the test opens it.
final class Gate: Sendable {
    private let open = Mutex(false)
    private let arrived = Mutex(0)

    func wait() async throws {
        arrived.withLock { $0 += 1 }
        while !open.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(20)) }
    }

    func release() { open.withLock { $0 = true } }
    var waiting: Int { arrived.withLock { $0 } }
}

/// Scripted results of the real message types.
enum Scripted {
    static func review(_ findings: [PRReviewResult.Finding] = []) -> PRReviewResult {
        PRReviewResult(summary: findings.isEmpty ? "No findings." : "\(findings.count) findings.", findings: findings, posted: false)
    }

    static func write(_ request: CodeWriteRequest, commit: String = "abc123") -> CodeWriteResult {
        CodeWriteResult(branch: request.branch ?? "switchboard/change", commit: commit, prURL: request.openPR ? "https://git.example.com/pr/1" : nil)
    }

    static func scrape(_ request: TodosScrapeRequest) -> TodosScrapeResult {
        TodosScrapeResult(sourceURL: request.url, fetchedAt: "2026-11-22T08:00:00Z", items: [TodoItem(text: "Ship it", done: false)], markdown: "- [ ] Ship it\n")
    }
}
