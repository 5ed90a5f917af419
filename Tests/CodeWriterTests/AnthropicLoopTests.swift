import AgentBase
import Foundation
import LLMProviders
import SwitchboardTesting
import Testing

/// The coding loop against a local server speaking the Anthropic Messages API with tool use: the same provider the
/// executable builds for `LLM_PROVIDER=anthropic`, only the base URL differs.
@Suite("CodeWriter: model loop over the Anthropic wire format", .serialized)
struct AnthropicLoopTests {
    @Test("tool_use turns write a file, the tests fail, the model fixes it on the second turn; tokens reach the task")
    func writesAndFixes() async throws {
        let api = try await FakeModelAPI.started()
        try await withTeardown {
            api.script(
                .anthropicMessage([["type": "text", "text": "Writing the greeting."], FakeModelAPI.toolUse("toolu_1", "write_file", ["path": "greeting.txt", "content": "Hello, wrld\n"]), FakeModelAPI.toolUse("toolu_2", "run_tests", [:])], stop: "tool_use"),
                .anthropicMessage([FakeModelAPI.toolUse("toolu_3", "write_file", ["path": "greeting.txt", "content": "Hello, world\n"])], stop: "tool_use"),
                .anthropicMessage([["type": "text", "text": "Added greeting.txt saying Hello, world."]], stop: "end_turn")
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
