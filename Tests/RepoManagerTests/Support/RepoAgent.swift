import AgentBase
import Foundation
import Logging
import RepoManager
import SwitchboardTesting

/// The repo-manager application the executable builds, run in-process on a test bus with a workspace of its own.
typealias RepoAgent = AgentHarness

extension AgentHarness {
    convenience init(model: any LanguageModel = OfflineModel(), environment extra: [String: String] = [:], logger: Logger = quietLogger) throws {
        try self.init(RepoManagerService.self, environment: extra, model: { _ in model }, logger: logger)
    }
}

/// A `LanguageModel` for tests that answers from a closure and records the questions, for the resolver's edge cases;
/// strategy llm over a provider's real wire format is `MergeTests.llmStrategyOverOpenAIWireFormat`.
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
