import AgentBase

/// Answers in the Anthropic Messages wire format, as the fake server sends them.
enum AnthropicFixtures {
    static func message(_ content: [JSONValue], stop: String = "end_turn", model: String = "claude-test", input: Int = 12, output: Int = 5) -> JSONValue {
        ["id": "msg_1", "type": "message", "role": "assistant", "model": .string(model), "content": .array(content), "stop_reason": .string(stop), "usage": ["input_tokens": .number(Double(input)), "output_tokens": .number(Double(output))]]
    }

    static func text(_ text: String) -> JSONValue { ["type": "text", "text": .string(text)] }

    static func toolUse(id: String, name: String, input: JSONValue) -> JSONValue { ["type": "tool_use", "id": .string(id), "name": .string(name), "input": input] }

    static func event(_ name: String, _ data: JSONValue) -> String { "event: \(name)\ndata: \(data.jsonString)" }

    /// A streamed answer: text in two deltas, then a tool call whose input arrives in two JSON pieces.
    static let stream: [String] = [
        event("message_start", ["type": "message_start", "message": ["id": "msg_2", "type": "message", "role": "assistant", "model": "claude-test", "content": [], "usage": ["input_tokens": 30, "output_tokens": 1]]]),
        event("content_block_start", ["type": "content_block_start", "index": 0, "content_block": ["type": "text", "text": ""]]),
        event("ping", ["type": "ping"]),
        event("content_block_delta", ["type": "content_block_delta", "index": 0, "delta": ["type": "text_delta", "text": "Let me "]]),
        event("content_block_delta", ["type": "content_block_delta", "index": 0, "delta": ["type": "text_delta", "text": "look."]]),
        event("content_block_stop", ["type": "content_block_stop", "index": 0]),
        event("content_block_start", ["type": "content_block_start", "index": 1, "content_block": ["type": "tool_use", "id": "toolu_1", "name": "read_file", "input": [:]]]),
        event("content_block_delta", ["type": "content_block_delta", "index": 1, "delta": ["type": "input_json_delta", "partial_json": "{\"path\": \"RE"]]),
        event("content_block_delta", ["type": "content_block_delta", "index": 1, "delta": ["type": "input_json_delta", "partial_json": "ADME.md\"}"]]),
        event("content_block_stop", ["type": "content_block_stop", "index": 1]),
        event("message_delta", ["type": "message_delta", "delta": ["stop_reason": "tool_use", "stop_sequence": nil], "usage": ["output_tokens": 42]]),
        event("message_stop", ["type": "message_stop"]),
    ]
}

/// Collects streamed events.
actor EventLog {
    private(set) var events: [ModelEvent] = []

    func add(_ event: ModelEvent) { events.append(event) }
}
