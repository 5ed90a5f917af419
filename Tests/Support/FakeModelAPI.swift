import AgentBase
import Foundation
import Hummingbird
import Synchronization

/// A local HTTP server playing a model provider: the Anthropic Messages API (`POST /v1/messages`) and the OpenAI
/// chat-completions API (`POST /v1/chat/completions`). Each test scripts the answers in order (JSON bodies, SSE
/// streams, error statuses with `retry-after`, slow answers); the server records every request it gets.
public final class FakeModelAPI: Sendable {
    /// One scripted answer.
    public enum Answer: Sendable {
        /// A JSON body with a status and extra headers.
        case json(JSONValue, status: Int = 200, headers: [String: String] = [:])
        /// A `text/event-stream` body: each element is one event's text (`event: …\ndata: …`), blank lines added.
        case events([String])
        /// Waits, then answers.
        indirect case delayed(Duration, Answer)

        /// An Anthropic Messages API answer holding one text block.
        public static func anthropicText(_ text: String, model: String = "claude-test", tokensIn: Int = 100, tokensOut: Int = 10) -> Answer {
            anthropicMessage([["type": "text", "text": .string(text)]], stop: "end_turn", model: model, tokensIn: tokensIn, tokensOut: tokensOut)
        }

        /// An Anthropic Messages API answer with these content blocks.
        public static func anthropicMessage(_ content: [JSONValue], stop: String, model: String = "claude-test", tokensIn: Int = 500, tokensOut: Int = 60) -> Answer {
            .json([
                "id": "msg_1", "type": "message", "role": "assistant", "model": .string(model), "content": .array(content),
                "stop_reason": .string(stop), "usage": ["input_tokens": .number(Double(tokensIn)), "output_tokens": .number(Double(tokensOut))],
            ])
        }
    }

    /// A request as received.
    public struct Received: Sendable {
        public var path: String
        public var headers: [String: String]
        public var body: JSONValue
    }

    /// The script and the log, shared with the route.
    private final class State: Sendable {
        let script = Mutex<[Answer]>([])
        let log = Mutex<[Received]>([])
    }

    private let state = State()
    private let server: LocalServer

    public init() {
        let router = Router()
        let state = self.state
        let handler: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
            let data = try await request.body.collect(upTo: 8 << 20)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            let body = (try? JSONValue(parsing: String(buffer: data))) ?? .null
            state.log.withLock { $0.append(Received(path: request.uri.path, headers: headers, body: body)) }
            let answer = state.script.withLock { $0.isEmpty ? nil : $0.removeFirst() }
            return try await Self.respond(answer ?? .json(["error": ["type": "test", "message": "the test scripted no answer"]], status: 500))
        }
        router.post("/v1/messages", use: handler)
        router.post("/v1/chat/completions", use: handler)
        server = LocalServer(router: router)
    }

    private static func respond(_ answer: Answer) async throws -> Response {
        switch answer {
        case .json(let value, let status, let extra):
            var headers: HTTPFields = [.contentType: "application/json"]
            for (name, value) in extra { headers.append(.init(name: .init(name)!, value: value)) }
            return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(string: value.jsonString)))
        case .events(let events):
            let text = events.map { $0 + "\n\n" }.joined()
            return Response(status: .ok, headers: [.contentType: "text/event-stream"], body: .init(byteBuffer: ByteBuffer(string: text)))
        case .delayed(let wait, let answer):
            try await Task.sleep(for: wait)
            return try await respond(answer)
        }
    }

    /// The base URL, e.g. `http://127.0.0.1:PORT`.
    public var url: String { server.url }

    public func start() async throws { try await server.start() }

    /// A new server, started.
    public static func started() async throws -> FakeModelAPI {
        let api = FakeModelAPI()
        try await api.start()
        return api
    }
    public func stop() async { await server.stop() }

    /// Adds answers to the script.
    public func script(_ answers: Answer...) {
        state.script.withLock { $0 += answers }
    }

    /// Every request so far.
    public var received: [Received] { state.log.withLock { $0 } }

    /// An Anthropic `tool_use` content block.
    public static func toolUse(_ id: String, _ name: String, _ input: JSONValue) -> JSONValue {
        ["type": "tool_use", "id": .string(id), "name": .string(name), "input": input]
    }
}
