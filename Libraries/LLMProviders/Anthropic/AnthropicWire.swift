import AgentBase
import Foundation

/// The Anthropic Messages API wire format: request bodies, answers and the streamed events between them.
enum AnthropicWire {
    static func body(_ request: ModelRequest, model: String, stream: Bool) -> JSONValue {
        var body: [String: JSONValue] = [
            "model": .string(model),
            "max_tokens": .number(Double(request.maxTokens)),
            "messages": .array(request.messages.map(message)),
        ]
        if !request.system.isEmpty { body["system"] = .string(request.system) }
        if !request.tools.isEmpty {
            body["tools"] = .array(request.tools.map { .object(["name": .string($0.name), "description": .string($0.description), "input_schema": $0.inputSchema]) })
        }
        if stream { body["stream"] = .bool(true) }
        return .object(body)
    }

    private static func message(_ message: ModelMessage) -> JSONValue {
        .object(["role": .string(message.role.rawValue), "content": .array(message.content.map(block))])
    }

    private static func block(_ content: ModelContent) -> JSONValue {
        switch content {
        case .text(let text):
            return .object(["type": "text", "text": .string(text)])
        case .image(_, let mediaType, let bytes):
            return .object(["type": "image", "source": .object(["type": "base64", "media_type": .string(mediaType), "data": .string(Data(bytes).base64EncodedString())])])
        case .toolUse(let id, let name, let input):
            return .object(["type": "tool_use", "id": .string(id), "name": .string(name), "input": input])
        case .toolResult(let id, let content, let isError):
            return .object(["type": "tool_result", "tool_use_id": .string(id), "content": .string(content), "is_error": .bool(isError)])
        }
    }

    /// A whole (non-streamed) answer.
    static func response(_ json: JSONValue, model: String) throws(LanguageModelError) -> ModelResponse {
        guard let blocks = json["content"]?.arrayValue else { throw .invalidResponse("the answer has no 'content' list") }
        var content: [ModelContent] = []
        for block in blocks {
            if let parsed = try self.content(block) { content.append(parsed) }
        }
        let usage = json["usage"]
        return ModelResponse(
            content: content, stopReason: stopReason(json["stop_reason"]?.stringValue), model: json["model"]?.stringValue ?? model,
            tokensIn: inputTokens(usage), tokensOut: usage?["output_tokens"]?.intValue ?? 0
        )
    }

    private static func content(_ block: JSONValue) throws(LanguageModelError) -> ModelContent? {
        switch block["type"]?.stringValue {
        case "text":
            return .text(block["text"]?.stringValue ?? "")
        case "tool_use":
            guard let id = block["id"]?.stringValue, let name = block["name"]?.stringValue else { throw .invalidResponse("a tool_use block without id or name") }
            return .toolUse(id: id, name: name, input: block["input"] ?? .object([:]))
        default:
            return nil
        }
    }

    /// Input tokens, cache reads and writes included (they are all read by the model).
    static func inputTokens(_ usage: JSONValue?) -> Int {
        ["input_tokens", "cache_creation_input_tokens", "cache_read_input_tokens"].reduce(0) { $0 + (usage?[$1]?.intValue ?? 0) }
    }

    static func stopReason(_ text: String?) -> ModelResponse.StopReason {
        switch text {
        case "end_turn", "stop_sequence", nil: return .endTurn
        case "tool_use": return .toolUse
        case "max_tokens": return .maxTokens
        case let other?: return .other(other)
        }
    }
}

/// Builds an answer from the streamed events: `message_start`, `content_block_start`, `content_block_delta`
/// (`text_delta`, `input_json_delta`), `content_block_stop`, `message_delta` (stop reason, usage), `message_stop`.
struct AnthropicStreamAssembler {
    private enum Block {
        case text(String)
        case toolUse(id: String, name: String, json: String)
    }

    private var blocks: [Int: Block] = [:]
    /// The answer's model, usage and stop reason so far; its content is assembled at the end.
    private var answer: ModelResponse

    init(model: String) {
        answer = ModelResponse(content: [], stopReason: .endTurn, model: model)
    }

    /// Takes one event; returns what to tell the caller about it.
    mutating func take(_ event: JSONValue) throws(LanguageModelError) -> ModelEvent? {
        let index = event["index"]?.intValue ?? 0
        switch event["type"]?.stringValue {
        case "message_start":
            let message = event["message"]
            answer.model = message?["model"]?.stringValue ?? answer.model
            answer.tokensIn = AnthropicWire.inputTokens(message?["usage"])
            answer.tokensOut = message?["usage"]?["output_tokens"]?.intValue ?? 0
        case "content_block_start":
            let block = event["content_block"]
            if block?["type"]?.stringValue == "tool_use" {
                let name = block?["name"]?.stringValue ?? ""
                blocks[index] = .toolUse(id: block?["id"]?.stringValue ?? "", name: name, json: "")
                return .toolUse(name: name)
            }
            blocks[index] = .text(block?["text"]?.stringValue ?? "")
        case "content_block_delta":
            let delta = event["delta"]
            switch (blocks[index], delta?["type"]?.stringValue) {
            case (.text(let text)?, "text_delta"):
                let piece = delta?["text"]?.stringValue ?? ""
                blocks[index] = .text(text + piece)
                return .text(piece)
            case (.toolUse(let id, let name, let json)?, "input_json_delta"):
                blocks[index] = .toolUse(id: id, name: name, json: json + (delta?["partial_json"]?.stringValue ?? ""))
            default:
                break
            }
        case "message_delta":
            if let reason = event["delta"]?["stop_reason"]?.stringValue { answer.stopReason = AnthropicWire.stopReason(reason) }
            if let output = event["usage"]?["output_tokens"]?.intValue { answer.tokensOut = output }
            if let usage = event["usage"], AnthropicWire.inputTokens(usage) > 0 { answer.tokensIn = AnthropicWire.inputTokens(usage) }
        case "error":
            let error = event["error"]
            let status = error?["type"]?.stringValue == "overloaded_error" ? 529 : 500
            throw .http(status: status, message: error?["message"]?.stringValue ?? "error event in the stream")
        default:
            break
        }
        return nil
    }

    /// The answer once the stream has ended.
    func response() throws(LanguageModelError) -> ModelResponse {
        var content: [ModelContent] = []
        for index in blocks.keys.sorted() {
            switch blocks[index] {
            case .text(let text)?:
                content.append(.text(text))
            case .toolUse(let id, let name, let json)?:
                let input: JSONValue
                do {
                    input = try json.isEmpty ? .object([:]) : JSONValue(parsing: json)
                } catch {
                    throw .invalidResponse("the input of tool call '\(name)' is not JSON: \(json.prefix(200))")
                }
                content.append(.toolUse(id: id, name: name, input: input))
            case nil:
                break
            }
        }
        var response = answer
        response.content = content
        return response
    }
}
