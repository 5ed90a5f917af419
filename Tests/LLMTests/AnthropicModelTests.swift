import AgentBase
import Foundation
@testable import LLMProviders
import SwitchboardTesting
import Testing

/// `AnthropicModel` against a local server speaking the Messages API: requests, tool use, SSE streams, retries, timeouts.
@Suite struct AnthropicModelTests {
    static let key = "sk-ant-" + "test-" + String(repeating: "k", count: 12)

    static func model(_ api: FakeModelAPI, streaming: Bool = false, retries: Int = 2, timeout: Duration = .seconds(10)) -> AnthropicModel {
        AnthropicModel(baseURL: api.url, apiKey: key, model: "claude-test", settings: HTTPModelSettings(timeout: timeout, maxRetries: retries, firstRetryWait: .milliseconds(50), streaming: streaming))
    }

    @Test("a text turn: headers, system, messages and max_tokens go out; text, stop reason and usage come back")
    func textTurn() async throws {
        let api = try await FakeModelAPI.started()
        try await withTeardown {
            api.script(.json(AnthropicFixtures.message([AnthropicFixtures.text("Hello there.")], input: 12, output: 5)))
            let response = try await Self.model(api).respond(to: ModelRequest(system: "Be brief.", messages: [.user("Hi"), .assistant("Hello"), .user("How are you?")], maxTokens: 300))
            #expect(response.text == "Hello there.")
            #expect(response.stopReason == .endTurn)
            #expect(response.tokensIn == 12 && response.tokensOut == 5)
            let request = try #require(api.received.first)
            #expect(request.path == "/v1/messages")
            #expect(request.headers["x-api-key"] == Self.key)
            #expect(request.headers["anthropic-version"] == "2023-06-01")
            #expect(request.body["model"] == "claude-test")
            #expect(request.body["system"] == "Be brief.")
            #expect(request.body["max_tokens"] == 300)
            #expect(request.body["stream"] == nil)
            #expect(request.body["messages"]?.arrayValue?.count == 3)
            #expect(request.body["messages"]?[2]?["content"]?[0]?["text"] == "How are you?")
        } teardown: {
            await api.stop()
        }
    }

    @Test("tool use: tools go out with input_schema; a tool_use answer; the tool_result goes back in the next turn")
    func toolUse() async throws {
        let api = try await FakeModelAPI.started()
        try await withTeardown {
            api.script(
                .json(AnthropicFixtures.message([AnthropicFixtures.text("Reading."), AnthropicFixtures.toolUse(id: "toolu_9", name: "read_file", input: ["path": "README.md"])], stop: "tool_use")),
                .json(AnthropicFixtures.message([AnthropicFixtures.text("It says hello.")]))
            )
            let model = Self.model(api)
            let tool = ModelTool(name: "read_file", description: "Read a file", inputSchema: ["type": "object", "properties": ["path": ["type": "string"]], "required": ["path"]])
            var request = ModelRequest(system: "", messages: [.user("What does the README say?")], tools: [tool])
            let first = try await model.respond(to: request)
            #expect(first.stopReason == .toolUse)
            let call = try #require(first.toolUses.first)
            #expect(call.id == "toolu_9" && call.name == "read_file" && call.input == ["path": "README.md"])
            request.messages.append(ModelMessage(role: .assistant, content: first.content))
            request.messages.append(ModelMessage(role: .user, content: [.toolResult(id: call.id, content: "hello", isError: false)]))
            let second = try await model.respond(to: request)
            #expect(second.text == "It says hello.")
            let sent = api.received
            #expect(sent[0].body["tools"]?[0]?["input_schema"]?["required"] == ["path"])
            #expect(sent[0].body["system"] == nil)
            let turns = try #require(sent[1].body["messages"]?.arrayValue)
            #expect(turns[1]["content"]?[1]?["type"] == "tool_use")
            #expect(turns[2]["content"]?[0] == ["type": "tool_result", "tool_use_id": "toolu_9", "content": "hello", "is_error": false])
        } teardown: {
            await api.stop()
        }
    }

    @Test("a streamed answer (SSE) turns into text and tool events, then the whole answer with usage")
    func streaming() async throws {
        let api = try await FakeModelAPI.started()
        try await withTeardown {
            api.script(.events(AnthropicFixtures.stream))
            let log = EventLog()
            let response = try await Self.model(api, streaming: true).respond(to: ModelRequest(system: "s", messages: [.user("go")])) { await log.add($0) }
            #expect(api.received.first?.body["stream"] == true)
            #expect(await log.events == [.text("Let me "), .text("look."), .toolUse(name: "read_file")])
            #expect(response.text == "Let me look.")
            #expect(response.toolUses.first?.input == ["path": "README.md"])
            #expect(response.stopReason == .toolUse)
            #expect(response.tokensIn == 30 && response.tokensOut == 42)
        } teardown: {
            await api.stop()
        }
    }

    @Test("an overloaded error event in the middle of a stream is retried like a 529")
    func streamError() async throws {
        let api = try await FakeModelAPI.started()
        try await withTeardown {
            api.script(
                .events([AnthropicFixtures.stream[0], AnthropicFixtures.event("error", ["type": "error", "error": ["type": "overloaded_error", "message": "Overloaded"]])]),
                .events(AnthropicFixtures.stream)
            )
            let response = try await Self.model(api, streaming: true).respond(to: ModelRequest(system: "", messages: [.user("go")]))
            #expect(response.text == "Let me look.")
            #expect(api.received.count == 2)
        } teardown: {
            await api.stop()
        }
    }

    @Test("429 with retry-after, then success: one retry after the wait, announced as a status event")
    func retryAfter() async throws {
        let api = try await FakeModelAPI.started()
        try await withTeardown {
            api.script(
                .json(["type": "error", "error": ["type": "rate_limit_error", "message": "slow down"]], status: 429, headers: ["retry-after": "0.2"]),
                .json(["type": "error", "error": ["type": "overloaded_error", "message": "overloaded"]], status: 529),
                .json(AnthropicFixtures.message([AnthropicFixtures.text("ok")]))
            )
            let log = EventLog()
            let response = try await Self.model(api).respond(to: ModelRequest(system: "", messages: [.user("hi")])) { await log.add($0) }
            #expect(response.text == "ok")
            #expect(api.received.count == 3)
            let notes = await log.events.compactMap { if case .status(let note) = $0 { return note } else { return nil } }
            #expect(notes.count == 2)
            #expect(notes.first?.contains("slow down") == true)
            #expect(notes.first?.hasSuffix("in 0.2 s") == true)
        } teardown: {
            await api.stop()
        }
    }

    @Test("a client error is not retried and says what the provider said; the key never shows")
    func clientError() async throws {
        let api = try await FakeModelAPI.started()
        try await withTeardown {
            api.script(.json(["type": "error", "error": ["type": "invalid_request_error", "message": "max_tokens: too large"]], status: 400))
            let error = await #expect(throws: LanguageModelError.self) { try await Self.model(api).respond(to: ModelRequest(system: "", messages: [.user("hi")])) }
            #expect(error == .http(status: 400, message: "max_tokens: too large"))
            #expect(api.received.count == 1)
            #expect(!(error?.description.contains(Self.key) ?? true))
        } teardown: {
            await api.stop()
        }
    }

    @Test("a provider slower than the time limit fails with timedOut after the retries")
    func timeout() async throws {
        let api = try await FakeModelAPI.started()
        try await withTeardown {
            api.script(.delayed(.seconds(3), .json(AnthropicFixtures.message([AnthropicFixtures.text("late")]))), .delayed(.seconds(3), .json(AnthropicFixtures.message([AnthropicFixtures.text("late")]))))
            let error = await #expect(throws: LanguageModelError.self) {
                try await Self.model(api, retries: 1, timeout: .seconds(1)).respond(to: ModelRequest(system: "", messages: [.user("hi")]))
            }
            #expect(error == .timedOut(seconds: 1))
            #expect(api.received.count == 2)
        } teardown: {
            await api.stop()
        }
    }
}
