import AgentBase
import Foundation
import Logging

/// An agent service run in-process on a test bus with a git workspace of its own, built the way its executable builds
/// it (`application(environment:model:logger:)`): `send` publishes a typed request and waits for the task's last event.
public final class AgentHarness: Sendable {
    public let agent: String
    public let bus: TestBus
    public let workspace: URL
    public let service: RunningService

    /// Builds `service` with the environment a test service runs with: the bus's Redis and prefix, the repository's
    /// registry, consumer `c1`, a fresh `WORKSPACE_DIR`, a git identity and time limit, repositories under the temporary
    /// directory allowed (`SB_REPO_ALLOW`), then `extra`; `model` builds its model from that environment.
    public init<S: SwitchboardService>(
        _: S.Type, environment extra: [String: String] = [:],
        model: (SwitchboardEnvironment) throws -> any LanguageModel = { _ in OfflineModel() }, logger: Logger = quietLogger
    ) throws where S.Application == AgentApplication {
        self.agent = S.name
        bus = try TestBus()
        workspace = FileManager.default.temporaryDirectory.appendingPathComponent("sb-ws-\(UUID().uuidString.prefix(8))", isDirectory: true)
        var values = [
            "REDIS_URL": bus.url, "SB_PREFIX": bus.keys.prefix, "SB_REGISTRY": RepositoryPaths.registry.path, "SB_CONSUMER": "c1",
            "WORKSPACE_DIR": workspace.path, "GIT_TIMEOUT": "60s", "GIT_AUTHOR_NAME": "Repo Bot", "GIT_AUTHOR_EMAIL": "bot@example.com",
            "SB_REPO_ALLOW": GitFixture.allowedPrefix,
        ]
        values.merge(extra) { $1 }
        let environment = SwitchboardEnvironment(values)
        service = RunningService(try S.application(environment: environment, model: try model(environment), logger: logger).runner)
    }

    /// How a task ended: its result, or the `task.failed` payload.
    public enum Outcome: Sendable {
        case completed(String)
        case failed(TaskFailure)
    }

    /// Publishes a request to the agent's stream and waits for the task's last event.
    public func send<M: AgentMessage>(_ request: M, task: String = "t-\(UUID().uuidString.prefix(8))", timeout: Duration = .seconds(60)) async throws -> Outcome {
        let payload = String(decoding: try JSONEncoder().encode(request), as: UTF8.self)
        _ = try await bus.send(M.type, payload, agent: agent, task: task)
        var last: TaskEvent?
        try await eventually("\(M.type) task \(task) ends", timeout: timeout) {
            last = try await bus.events(for: task).last { $0.isTerminal }
            return last != nil
        }
        guard let last else { throw TestFailure("no terminal event") }
        if last.type == "task.completed" { return .completed(last.payload) }
        return .failed(try JSONDecoder().decode(TaskFailure.self, from: Data(last.payload.utf8)))
    }

    /// The result of a request that must complete.
    public func result<M: AgentMessage>(_ request: M, task: String = "t-\(UUID().uuidString.prefix(8))", timeout: Duration = .seconds(60)) async throws -> M.Result {
        switch try await send(request, task: task, timeout: timeout) {
        case .completed(let payload): return try JSONDecoder().decode(M.Result.self, from: Data(payload.utf8))
        case .failed(let failure): throw TestFailure("\(M.type) failed: \(failure.reason)")
        }
    }

    /// The `task.failed` payload of a request that must fail.
    public func failure<M: AgentMessage>(_ request: M, task: String = "t-\(UUID().uuidString.prefix(8))") async throws -> TaskFailure {
        switch try await send(request, task: task) {
        case .completed(let payload): throw TestFailure("\(M.type) completed unexpectedly: \(payload)")
        case .failed(let failure): return failure
        }
    }

    public func stop() async {
        await service.shutdown()
        bus.broker.close()
        try? FileManager.default.removeItem(at: workspace)
    }
}
