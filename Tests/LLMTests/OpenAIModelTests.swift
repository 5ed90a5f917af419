import AgentBase
import Foundation
@testable import LLMProviders
import SwitchboardTesting
import Testing

/// `OpenAIModel` against a local server speaking chat completions: tool calls, `role: tool` results, SSE chunks, retries.
@Suite struct OpenAIModelTests {
    static func model(_ api: FakeModelAPI, key: String? = nil, streaming: Bool = false) -> OpenAIModel {
        OpenAIModel(baseURL: api.url + "/v1", apiKey: key, model: "gpt-test", settings: HTTPModelSettings(timeout: .seconds(10), maxRetries: 2, firstRetryWait: .milliseconds(50), streaming: streaming))
    }

    static func completion(_ message: JSONValue, finish: String = "stop") -> JSONValue {
        ["id": "chatcmpl-1", "object": "chat.completion", "model": "gpt-test", "choices": [["index": 0, "message": message, "finish_reason": .string(finish)]], "usage": ["prompt_tokens": 20, "completion_tokens": 7, "total_tokens": 27]]
    }

    @Test("tool calls: tools go out as functions; tool_calls come back; results go back as role tool; bearer key sent")
    func toolCalls() async throws {
        let api = try await FakeModelAPI.started()
        try await withTeardown {
            api.script(
                .json(Self.completion(["role": "assistant", "content": nil, "tool_calls": [["id": "call_1", "type": "function", "function": ["name": "list_files", "arguments": "{\"dir\":\"src\"}"]]]], finish: "tool_calls")),
                .json(Self.completion(["role": "assistant", "content": "Two files."]))
            )
            let key = "sk-" + "test" + String(repeating: "x", count: 10)
            let model = Self.model(api, key: key)
            let tool = ModelTool(name: "list_files", description: "List files", inputSchema: ["type": "object"])
            var request = ModelRequest(system: "Be brief.", messages: [.user("What is in src?")], tools: [tool])
            let first = try await model.respond(to: request)
            #expect(first.stopReason == .toolUse)
            #expect(first.tokensIn == 20 && first.tokensOut == 7)
            let call = try #require(first.toolUses.first)
            #expect(call.id == "call_1" && call.input == ["dir": "src"])
            request.messages.append(ModelMessage(role: .assistant, content: first.content))
            request.messages.append(ModelMessage(role: .user, content: [.toolResult(id: "call_1", content: "a.swift\nb.swift", isError: false)]))
            #expect(try await model.respond(to: request).text == "Two files.")
            let sent = api.received
            #expect(sent[0].path == "/v1/chat/completions")
            #expect(sent[0].headers["authorization"] == "Bearer \(key)")
            #expect(sent[0].body["messages"]?[0] == ["role": "system", "content": "Be brief."])
            #expect(sent[0].body["tools"]?[0]?["function"]?["name"] == "list_files")
            let turns = try #require(sent[1].body["messages"]?.arrayValue)
            #expect(turns[2]["tool_calls"]?[0]?["function"]?["arguments"] == "{\"dir\":\"src\"}")
            #expect(turns[3] == ["role": "tool", "tool_call_id": "call_1", "content": "a.swift\nb.swift"])
        } teardown: {
            await api.stop()
        }
    }

    @Test("an image in a user turn goes out as an image_url part with a data URL, after the text")
    func image() async throws {
        let api = try await FakeModelAPI.started()
        try await withTeardown {
            api.script(.json(Self.completion(["role": "assistant", "content": "A red dot."])))
            let message = ModelMessage(role: .user, content: [.text("What is this?"), .image(name: "dot.png", mediaType: "image/png", bytes: [1, 2, 3])])
            let answer = try await Self.model(api).respond(to: ModelRequest(system: "", messages: [message]))
            #expect(answer.text == "A red dot.")
            #expect(api.received[0].body["messages"]?[0] == ["role": "user", "content": [
                ["type": "text", "text": "What is this?"], ["type": "image_url", "image_url": ["url": "data:image/png;base64,AQID"]],
            ]])
        } teardown: {
            await api.stop()
        }
    }

    @Test("a streamed answer: content and tool-call pieces by index, [DONE], usage from the last chunk; no key, no header")
    func streaming() async throws {
        let api = try await FakeModelAPI.started()
        try await withTeardown {
            func chunk(_ delta: JSONValue, finish: JSONValue = nil) -> String {
                "data: " + JSONValue.object(["id": "c", "object": "chat.completion.chunk", "model": "gpt-test", "choices": [["index": 0, "delta": delta, "finish_reason": finish]]]).jsonString
            }
            api.script(.events([
                chunk(["role": "assistant", "content": ""]),
                chunk(["content": "Checking "]),
                chunk(["content": "now."]),
                chunk(["tool_calls": [["index": 0, "id": "call_7", "type": "function", "function": ["name": "run_tests", "arguments": ""]]]]),
                chunk(["tool_calls": [["index": 0, "function": ["arguments": "{\"filter\":"]]]]),
                chunk(["tool_calls": [["index": 0, "function": ["arguments": "\"Unit\"}"]]]]),
                chunk([:], finish: "tool_calls"),
                "data: " + JSONValue.object(["id": "c", "object": "chat.completion.chunk", "model": "gpt-test", "choices": [], "usage": ["prompt_tokens": 50, "completion_tokens": 9]]).jsonString,
                "data: [DONE]",
            ]))
            let log = EventLog()
            let response = try await Self.model(api, streaming: true).respond(to: ModelRequest(system: "", messages: [.user("test it")])) { await log.add($0) }
            #expect(await log.events == [.text("Checking "), .text("now."), .toolUse(name: "run_tests")])
            #expect(response.text == "Checking now.")
            #expect(response.toolUses.first?.input == ["filter": "Unit"])
            #expect(response.stopReason == .toolUse)
            #expect(response.tokensIn == 50 && response.tokensOut == 9)
            let sent = try #require(api.received.first)
            #expect(sent.headers["authorization"] == nil)
            #expect(sent.body["stream"] == true)
            #expect(sent.body["stream_options"] == ["include_usage": true])
        } teardown: {
            await api.stop()
        }
    }

    @Test("503 then success is retried; the error body's message is kept")
    func retry() async throws {
        let api = try await FakeModelAPI.started()
        try await withTeardown {
            api.script(.json(["error": ["message": "busy", "type": "server_error"]], status: 503, headers: ["retry-after": "0"]), .json(Self.completion(["role": "assistant", "content": "fine"])))
            let answer = try await Self.model(api).respond(to: ModelRequest(system: "", messages: [.user("hi")]))
            #expect(answer.text == "fine")
            #expect(api.received.count == 2)
        } teardown: {
            await api.stop()
        }
    }
}
