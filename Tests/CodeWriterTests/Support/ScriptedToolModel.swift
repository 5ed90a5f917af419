import AgentBase
import Synchronization

/// A `LanguageModel` for tests that plays tool-use turns from a script and records every request it gets, for the
/// loop's edge cases (bounds, refusals, budget); the loop over the real Anthropic wire format is `AnthropicLoopTests`. Turn `n` (1-based) answers `script(n, request)`;
/// a turn with a tool call stops with `.toolUse`, one without with `.endTurn`; a script that throws is a failed call.
final class ScriptedToolModel: LanguageModel {
    private let script: @Sendable (Int, ModelRequest) throws -> [ModelContent]
    private let received = Mutex<[ModelRequest]>([])

    init(_ script: @escaping @Sendable (Int, ModelRequest) throws -> [ModelContent]) {
        self.script = script
    }

    var identity: String { "scripted/tools" }
    var requests: [ModelRequest] { received.withLock { $0 } }

    func respond(to request: ModelRequest, onEvent: @escaping @Sendable (ModelEvent) async -> Void) async throws -> ModelResponse {
        let turn = received.withLock { $0.append(request); return $0.count }
        let content = try script(turn, request)
        var usesTools = false
        for case .toolUse(_, let name, _) in content {
            usesTools = true
            await onEvent(.toolUse(name: name))
        }
        return ModelResponse(content: content, stopReason: usesTools ? .toolUse : .endTurn, model: "scripted", tokensIn: 100, tokensOut: 20)
    }

    /// A tool call of turn `turn`.
    static func call(_ turn: Int, _ index: Int, _ name: String, _ input: [String: JSONValue]) -> ModelContent {
        .toolUse(id: "toolu_\(turn)_\(index)", name: name, input: .object(input))
    }

    /// The tool results the model got back in the last turn of `request`, by tool-use id.
    static func results(in request: ModelRequest) -> [(id: String, content: String, isError: Bool)] {
        (request.messages.last?.content ?? []).compactMap {
            if case .toolResult(let id, let content, let isError) = $0 { return (id, content, isError) } else { return nil }
        }
    }
}
