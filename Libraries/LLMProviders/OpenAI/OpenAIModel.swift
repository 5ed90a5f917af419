import AgentBase
import AsyncHTTPClient
import Foundation

/// `LLM_PROVIDER=openai`: chat completions (`POST {OPENAI_BASE_URL}/chat/completions`) for OpenAI and compatible
/// servers (llama.cpp, vLLM, Ollama), with tool calls, streamed answers (SSE, `data: [DONE]`), retries of 429/5xx
/// honouring `retry-after`, and a time limit per request. The bearer key is optional for local servers.
public struct OpenAIModel: LanguageModel {
    public static let defaultBaseURL = "https://api.openai.com/v1"

    public let baseURL: String
    public let model: String
    private let client: ModelHTTPClient
    private let apiKey: String?

    public init(baseURL: String = OpenAIModel.defaultBaseURL, apiKey: String?, model: String, settings: HTTPModelSettings = HTTPModelSettings(), http: HTTPClient = .shared) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.apiKey = apiKey
        self.model = model
        self.client = ModelHTTPClient(http: http, settings: settings, secrets: apiKey.map { [$0] } ?? [])
    }

    public var identity: String { "openai/\(model)" }

    public func respond(to request: ModelRequest, onEvent: @escaping @Sendable (ModelEvent) async -> Void) async throws -> ModelResponse {
        let model = request.model ?? self.model
        let streaming = client.settings.streaming
        let headers = apiKey.map { [("Authorization", "Bearer \($0)")] } ?? []
        return try await client.post("\(baseURL)/chat/completions", headers: headers, body: OpenAIWire.body(request, model: model, stream: streaming), onEvent: onEvent) { body in
            guard streaming else {
                return try OpenAIWire.response(try await AnswerJSON.body(body), model: model)
            }
            var assembler = OpenAIStreamAssembler(model: model)
            try await body.forEachServerSentEvent { event in
                guard event.data != "[DONE]" else { return }
                for note in try assembler.take(try AnswerJSON.parse(Data(event.data.utf8), "a streamed chunk")) { await onEvent(note) }
            }
            return try assembler.response()
        }
    }
}
