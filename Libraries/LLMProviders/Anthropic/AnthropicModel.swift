import AgentBase
import AsyncHTTPClient
import Foundation

/// `LLM_PROVIDER=anthropic`: the Messages API (`POST {ANTHROPIC_BASE_URL}/v1/messages`) with tool use, streamed
/// answers (SSE) heard as `ModelEvent`s, retries of 429/529/5xx honouring `retry-after`, and a time limit per request.
public struct AnthropicModel: LanguageModel {
    public static let defaultBaseURL = "https://api.anthropic.com"
    public static let apiVersion = "2023-06-01"

    public let baseURL: String
    public let model: String
    private let client: ModelHTTPClient
    private let apiKey: String

    public init(baseURL: String = AnthropicModel.defaultBaseURL, apiKey: String, model: String, settings: HTTPModelSettings = HTTPModelSettings(), http: HTTPClient = .shared) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.apiKey = apiKey
        self.model = model
        self.client = ModelHTTPClient(http: http, settings: settings, secrets: [apiKey])
    }

    public var identity: String { "anthropic/\(model)" }

    public func respond(to request: ModelRequest, onEvent: @escaping @Sendable (ModelEvent) async -> Void) async throws -> ModelResponse {
        let model = request.model ?? self.model
        let streaming = client.settings.streaming
        let headers = [("x-api-key", apiKey), ("anthropic-version", Self.apiVersion)]
        return try await client.post("\(baseURL)/v1/messages", headers: headers, body: AnthropicWire.body(request, model: model, stream: streaming), onEvent: onEvent) { body in
            guard streaming else {
                return try AnthropicWire.response(try await AnswerJSON.body(body), model: model)
            }
            var assembler = AnthropicStreamAssembler(model: model)
            try await body.forEachServerSentEvent { event in
                if let note = try assembler.take(try AnswerJSON.parse(Data(event.data.utf8), "a streamed event")) { await onEvent(note) }
            }
            return try assembler.response()
        }
    }
}
