import AgentBase
import Foundation
import LLMProviders
import SwitchboardTesting
import Testing

/// The coding loop against a local server speaking the Anthropic Messages API with tool use: the same provider the
/// executable builds for `LLM_PROVIDER=anthropic`, only the base URL differs.
@Suite("CodeWriter: model loop over the Anthropic wire format", .serialized)
struct AnthropicLoopTests {
    /// An Anthropic Messages answer with these content blocks.
    static func message(_ id: Int, _ content: [JSONValue], stop: String) -> FakeModelAPI.Answer {
        .json([
            "id": .string("msg_\(id)"), "type": "message", "role": "assistant", "model": "claude-test", "content": .array(content),
            "stop_reason": .string(stop), "usage": ["input_tokens": 500, "output_tokens": 60],
        ])
    }

    static func toolUse(_ id: String, _ name: String, _ input: JSONValue) -> JSONValue {
        ["type": "tool_use", "id": .string(id), "name": .string(name), "input": input]
    }

    @Test("tool_use turns write a file, the tests fail, the model fixes it on the second turn; tokens reach the task")
    func writesAndFixes() async throws {
        let api = try await FakeModelAPI.started()
        try await withTeardown {
            api.script(
                Self.message(1, [["type": "text", "text": "Writing the greeting."], Self.toolUse("toolu_1", "write_file", ["path": "greeting.txt", "content": "Hello, wrld\n"]), Self.toolUse("toolu_2", "run_tests", [:])], stop: "tool_use"),
                Self.message(2, [Self.toolUse("toolu_3", "write_file", ["path": "greeting.txt", "content": "Hello, world\n"])], stop: "tool_use"),
                Self.message(3, [["type": "text", "text": "Added greeting.txt saying Hello, world."]], stop: "end_turn")
            )
            let model = AnthropicModel(baseURL: api.url, apiKey: "sk-ant-" + String(repeating: "t", count: 16), model: "claude-test", settings: HTTPModelSettings(maxRetries: 0, streaming: false))
            let world = try await WriterFixture(model: model)
            try await withTeardown {
                let result = try await world.agent.result(world.request(), task: "cw-anthropic-1")

                #expect(result.tests?.passed == true)
                #expect(try await world.git.file("greeting.txt", at: result.branch) == "Hello, world\n")
                #expect(result.prURL != nil)
                let requests = api.received
                #expect(requests.count == 3)
                #expect(requests[0].body["tools"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["list_files", "read_file", "write_file", "search", "run_tests"])
                let secondTurn = requests[1].body["messages"]?.arrayValue?.last?["content"]?.arrayValue ?? []
                #expect(secondTurn.contains { $0["type"]?.stringValue == "tool_result" && $0["tool_use_id"]?.stringValue == "toolu_2" && ($0["content"]?.jsonString.contains("FAIL") ?? false) })
                #expect(try await world.agent.bus.broker.tasks.task("cw-anthropic-1")?.fields["tokens_in"] == "1500")
            } teardown: {
                await world.stop()
            }
        } teardown: {
            await api.stop()
        }
    }
}
