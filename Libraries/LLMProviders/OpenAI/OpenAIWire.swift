import AgentBase
import Foundation

/// The OpenAI chat-completions wire format: messages with `tool_calls` and `role: tool` results, answers and
/// streamed chunks.
enum OpenAIWire {
    static func body(_ request: ModelRequest, model: String, stream: Bool) -> JSONValue {
        var messages: [JSONValue] = []
        if !request.system.isEmpty { messages.append(.object(["role": "system", "content": .string(request.system)])) }
        for message in request.messages { messages += self.messages(message) }
        var body: [String: JSONValue] = ["model": .string(model), "messages": .array(messages), "max_tokens": .number(Double(request.maxTokens))]
        if !request.tools.isEmpty {
            body["tools"] = .array(request.tools.map {
                .object(["type": "function", "function": .object(["name": .string($0.name), "description": .string($0.description), "parameters": $0.inputSchema])])
            })
        }
        if stream {
            body["stream"] = .bool(true)
            body["stream_options"] = .object(["include_usage": .bool(true)])
        }
        return .object(body)
    }

    /// One of our turns as chat messages: tool results become `role: tool` messages of their own.
    private static func messages(_ message: ModelMessage) -> [JSONValue] {
        var out: [JSONValue] = []
        var calls: [JSONValue] = []
        for case .toolResult(let id, let content, let isError) in message.content {
            out.append(.object(["role": "tool", "tool_call_id": .string(id), "content": .string(isError ? "ERROR: \(content)" : content)]))
        }
        for case .toolUse(let id, let name, let input) in message.content {
            calls.append(.object(["id": .string(id), "type": "function", "function": .object(["name": .string(name), "arguments": .string(input.jsonString)])]))
        }
        let text = message.text
        let images = message.content.compactMap { content -> JSONValue? in
            guard case .image(_, let mediaType, let bytes) = content else { return nil }
            return .object(["type": "image_url", "image_url": .object(["url": .string("data:\(mediaType);base64,\(Data(bytes).base64EncodedString())")])])
        }
        if !images.isEmpty {
            // A user turn with images: content as parts, the text first.
            let parts: [JSONValue] = (text.isEmpty ? [] : [.object(["type": "text", "text": .string(text)])]) + images
            out.append(.object(["role": .string(message.role.rawValue), "content": .array(parts)]))
        } else if !text.isEmpty || !calls.isEmpty {
            var turn: [String: JSONValue] = ["role": .string(message.role.rawValue), "content": text.isEmpty ? .null : .string(text)]
            if !calls.isEmpty { turn["tool_calls"] = .array(calls) }
            out.append(.object(turn))
        }
        return out
    }

    /// A whole (non-streamed) answer.
    static func response(_ json: JSONValue, model: String) throws(LanguageModelError) -> ModelResponse {
        guard let choice = json["choices"]?[0], let message = choice["message"] else { throw .invalidResponse("the answer has no choices[0].message") }
        var content: [ModelContent] = []
        if let text = message["content"]?.stringValue, !text.isEmpty { content.append(.text(text)) }
        for call in message["tool_calls"]?.arrayValue ?? [] {
            content.append(try toolUse(id: call["id"]?.stringValue, name: call["function"]?["name"]?.stringValue, arguments: call["function"]?["arguments"]?.stringValue))
        }
        let usage = json["usage"]
        return ModelResponse(
            content: content, stopReason: stopReason(choice["finish_reason"]?.stringValue), model: json["model"]?.stringValue ?? model,
            tokensIn: usage?["prompt_tokens"]?.intValue ?? 0, tokensOut: usage?["completion_tokens"]?.intValue ?? 0
        )
    }

    static func toolUse(id: String?, name: String?, arguments: String?) throws(LanguageModelError) -> ModelContent {
        guard let id, let name else { throw .invalidResponse("a tool call without id or function name") }
        let text = arguments ?? ""
        do {
            return .toolUse(id: id, name: name, input: try text.isEmpty ? .object([:]) : JSONValue(parsing: text))
        } catch {
            throw .invalidResponse("the arguments of tool call '\(name)' are not JSON: \(text.prefix(200))")
        }
    }

    static func stopReason(_ text: String?) -> ModelResponse.StopReason {
        switch text {
        case "stop", nil: return .endTurn
        case "tool_calls", "function_call": return .toolUse
        case "length": return .maxTokens
        case let other?: return .other(other)
        }
    }
}

/// Builds an answer from streamed chunks (`choices[0].delta` with `content` and `tool_calls` pieces by index,
/// `finish_reason`, and the last chunk's `usage`).
struct OpenAIStreamAssembler {
    private struct Call {
        var id: String?
        var name: String?
        var arguments = ""
    }

    private var text = ""
    private var calls: [Int: Call] = [:]
    /// The answer's model, usage and stop reason so far; its content is assembled at the end.
    private var answer: ModelResponse

    init(model: String) {
        answer = ModelResponse(content: [], stopReason: .endTurn, model: model)
    }

    /// Takes one chunk; returns what to tell the caller about it.
    mutating func take(_ chunk: JSONValue) throws(LanguageModelError) -> [ModelEvent] {
        if let error = chunk["error"] { throw .http(status: 500, message: error["message"]?.stringValue ?? "error chunk in the stream") }
        if let name = chunk["model"]?.stringValue { answer.model = name }
        if let usage = chunk["usage"], !usage.isNull {
            answer.tokensIn = usage["prompt_tokens"]?.intValue ?? answer.tokensIn
            answer.tokensOut = usage["completion_tokens"]?.intValue ?? answer.tokensOut
        }
        guard let choice = chunk["choices"]?[0] else { return [] }
        if let reason = choice["finish_reason"]?.stringValue { answer.stopReason = OpenAIWire.stopReason(reason) }
        var events: [ModelEvent] = []
        let delta = choice["delta"]
        if let piece = delta?["content"]?.stringValue, !piece.isEmpty {
            text += piece
            events.append(.text(piece))
        }
        for piece in delta?["tool_calls"]?.arrayValue ?? [] {
            let index = piece["index"]?.intValue ?? 0
            var call = calls[index] ?? Call()
            if let id = piece["id"]?.stringValue { call.id = id }
            if let name = piece["function"]?["name"]?.stringValue {
                call.name = name
                events.append(.toolUse(name: name))
            }
            call.arguments += piece["function"]?["arguments"]?.stringValue ?? ""
            calls[index] = call
        }
        return events
    }

    /// The answer once `data: [DONE]` came.
    func response() throws(LanguageModelError) -> ModelResponse {
        var content: [ModelContent] = text.isEmpty ? [] : [.text(text)]
        for index in calls.keys.sorted() {
            let call = calls[index]
            content.append(try OpenAIWire.toolUse(id: call?.id, name: call?.name, arguments: call?.arguments))
        }
        var response = answer
        response.content = content
        return response
    }
}
