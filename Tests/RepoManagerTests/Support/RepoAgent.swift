import AgentBase
import Foundation
import GitKit
import Logging
import RepoManager
import SwitchboardTesting

/// The repo-manager application the executable builds, run in-process on a test bus with a workspace of its own.
final class RepoAgent: Sendable {
    let bus: TestBus
    let workspace: URL
    let service: RunningService

    init(model: any LanguageModel = OfflineModel(), environment extra: [String: String] = [:], logger: Logger = quietLogger) throws {
        bus = try TestBus()
        workspace = FileManager.default.temporaryDirectory.appendingPathComponent("sb-ws-\(UUID().uuidString.prefix(8))", isDirectory: true)
        var values = [
            "REDIS_URL": bus.url, "SB_PREFIX": bus.keys.prefix, "SB_REGISTRY": RepositoryPaths.registry.path, "SB_CONSUMER": "c1",
            "WORKSPACE_DIR": workspace.path, "GIT_TIMEOUT": "60s", "GIT_AUTHOR_NAME": "Repo Bot", "GIT_AUTHOR_EMAIL": "bot@example.com",
        ]
        values.merge(extra) { $1 }
        let application = try RepoManager.application(environment: SwitchboardEnvironment(values), model: model, logger: logger)
        service = RunningService(application.runner)
    }

    /// How a task ended: its result, or the `task.failed` payload.
    enum Outcome {
        case completed(String)
        case failed(TaskFailure)
    }

    /// Publishes a request to `sb:in:repo-manager` and waits for the task's last event.
    func send<M: AgentMessage>(_ request: M, task: String = "t-\(UUID().uuidString.prefix(8))") async throws -> Outcome {
        let payload = String(decoding: try JSONEncoder().encode(request), as: UTF8.self)
        _ = try await bus.send(M.type, payload, agent: RepoManager.agent, task: task)
        var last: TaskEvent?
        try await eventually("\(M.type) task \(task) ends", timeout: .seconds(60)) {
            last = try await bus.events(for: task).last { $0.isTerminal }
            return last != nil
        }
        guard let last else { throw TestFailure("no terminal event") }
        if last.type == "task.completed" { return .completed(last.payload) }
        return .failed(try JSONDecoder().decode(TaskFailure.self, from: Data(last.payload.utf8)))
    }

    /// The result of a request that must complete.
    func result<M: AgentMessage>(_ request: M, task: String = "t-\(UUID().uuidString.prefix(8))") async throws -> M.Result {
        switch try await send(request, task: task) {
        case .completed(let payload): return try JSONDecoder().decode(M.Result.self, from: Data(payload.utf8))
        case .failed(let failure): throw TestFailure("\(M.type) failed: \(failure.reason)")
        }
    }

    /// The `task.failed` payload of a request that must fail.
    func failure<M: AgentMessage>(_ request: M) async throws -> TaskFailure {
        switch try await send(request) {
        case .completed(let payload): throw TestFailure("\(M.type) completed unexpectedly: \(payload)")
        case .failed(let failure): return failure
        }
    }

    func stop() async {
        await service.shutdown()
        bus.broker.close()
        try? FileManager.default.removeItem(at: workspace)
    }
}

/// A `LanguageModel` for tests that answers from a closure and records the questions (until issue #6 brings a fake
/// Anthropic server to test against).
final class ScriptedModel: LanguageModel {
    private let answer: @Sendable (String) -> String
    let questions = Tally()

    init(_ answer: @escaping @Sendable (String) -> String) {
        self.answer = answer
    }

    var identity: String { "scripted" }

    func respond(to request: ModelRequest, onEvent: @escaping @Sendable (ModelEvent) async -> Void) async throws -> ModelResponse {
        let question = request.messages.map(\.text).joined(separator: "\n")
        questions.record(question)
        return ModelResponse(content: [.text(answer(question))], stopReason: .endTurn, model: "scripted")
    }
}
