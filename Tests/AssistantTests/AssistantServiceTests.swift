import AgentBase
import Foundation
@testable import Assistant
import LLMProviders
import SwitchboardTesting
import Testing

/// The assistant agent through a real runner on real Redis: offline replies, and with a local Anthropic server the
/// context as turns, the command list in the system prompt, suggested_command, and the usage ledger.
@Suite(.serialized)
struct AssistantServiceTests {
    struct Running {
        let bus: TestBus
        let service: RunningService

        init(model: any LanguageModel, budget: UsageBudget = UsageBudget()) throws {
            bus = try TestBus()
            let registry = try AgentRegistry.load(path: RepositoryPaths.registry.path)
            let agent = AssistantService(registry: registry, model: TaskMeteredModel(base: model, ledger: UsageLedger(registry: registry, budget: budget)))
            var handlers = AgentHandlers(schemas: try SchemaLibrary(directory: RepositoryPaths.schemas))
            agent.register(&handlers)
            service = RunningService(AgentRunner(configuration: bus.configuration(agent: "assistant", maxAttempts: 1), bus: bus.broker.agent, handlers: handlers, logger: quietLogger))
        }

        /// Sends `chat.message` from a Telegram chat and returns the task's result.
        func ask(_ request: ChatMessageRequest) async throws -> (task: String, result: ChatMessageResult?) {
            let task = "chat-\(UUID().uuidString.prefix(8))"
            let payload = String(decoding: try JSONEncoder().encode(request), as: UTF8.self)
            _ = try await bus.broker.queue.publish(Envelope(type: ChatMessageRequest.type, payload: payload, task: task, source: "telegram:42", conversation: "telegram:42"), to: bus.keys.inbox("assistant"))
            try await eventually("task \(task) ends") { try await bus.status(task)?.isTerminal == true }
            let text = try await bus.broker.tasks.task(task)?.result
            return (task, try text.map { try JSONDecoder().decode(ChatMessageResult.self, from: Data($0.utf8)) })
        }
    }

    @Test("offline: a wish gets the matching command's usage; a greeting the list; the result matches its schema")
    func offline() async throws {
        let running = try Running(model: OfflineModel())
        try await withTeardown {
            let review = try await running.ask(ChatMessageRequest(text: "could you review PR 12 in example-org/example-repo"))
            #expect(review.result?.suggestedCommand?.hasPrefix("/review ") == true)
            #expect(review.result?.reply.contains("/review <owner/repo> <number>") == true)
            let hello = try await running.ask(ChatMessageRequest(text: "hello"))
            #expect(hello.result?.reply.contains("/sync-todos") == true)
            let schemas = try SchemaLibrary(directory: RepositoryPaths.schemas)
            let text = try #require(try await running.bus.broker.tasks.task(review.task)?.result)
            #expect(try schemas.validate(try JSONValue(parsing: text), against: "chat.message.result").isEmpty)
        } teardown: {
            await running.service.shutdown()
        }
    }

    @Test("a malformed chat.message fails the task and goes to the dead-letter stream with a reason")
    func badRequest() async throws {
        let running = try Running(model: OfflineModel())
        try await withTeardown {
            for (index, payload) in [#"{"text":""}"#, #"{"context":[]}"#, "not json"].enumerated() {
                let task = "bad-\(index)"
                _ = try await running.bus.broker.queue.publish(Envelope(type: ChatMessageRequest.type, payload: payload, task: task), to: running.bus.keys.inbox("assistant"))
                try await eventually("task \(task) ends") { try await running.bus.status(task)?.isTerminal == true }
                #expect(try await running.bus.status(task) == .failed, "\(payload)")
            }
            let letters = try await running.bus.broker.deadLetters.deadLetters(agent: "assistant", count: 10)
            #expect(letters.count == 3 && letters.allSatisfy { !($0["reason"] ?? "").isEmpty })
        } teardown: {
            await running.service.shutdown()
        }
    }

    @Test("with a model: context as prior turns, commands in the system prompt, suggested_command, usage recorded")
    func withModel() async throws {
        let api = try await FakeModelAPI.started()
        try await withTeardown {
            api.script(.json([
                "id": "msg_1", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5",
                "content": [["type": "text", "text": "The PR reviewer can do that.\nCOMMAND: /review example-org/example-repo 42"]],
                "stop_reason": "end_turn", "usage": ["input_tokens": 900, "output_tokens": 40],
            ]))
            let model = AnthropicModel(baseURL: api.url, apiKey: "k", model: "claude-sonnet-4-5", settings: HTTPModelSettings(timeout: .seconds(10), maxRetries: 0, streaming: false))
            let running = try Running(model: model)
            try await withTeardown {
                let context = [ChatTurn(role: "user", text: "I opened PR 42 in example-org/example-repo"), ChatTurn(role: "assistant", text: "Nice!")]
                let (task, result) = try await running.ask(ChatMessageRequest(text: "Can you check it?", context: context))
                #expect(result == ChatMessageResult(reply: "The PR reviewer can do that.", suggestedCommand: "/review example-org/example-repo 42"))
                let sent = try #require(api.received.first)
                #expect(sent.body["messages"] == [
                    ["role": "user", "content": [["type": "text", "text": "I opened PR 42 in example-org/example-repo"]]],
                    ["role": "assistant", "content": [["type": "text", "text": "Nice!"]]],
                    ["role": "user", "content": [["type": "text", "text": "Can you check it?"]]],
                ])
                let system = sent.body["system"]?.stringValue ?? ""
                #expect(system.contains("/review <owner/repo> <number>") && system.contains("/create-pr <owner/repo> <spec…>"))
                let snapshot = try #require(try await running.bus.broker.tasks.task(task))
                #expect(snapshot.fields["tokens_in"] == "900" && snapshot.fields["tokens_out"] == "40")
                #expect(abs((Double(snapshot.fields["cost_usd"] ?? "") ?? 0) - 0.0033) < 1e-9)
                let user = try await running.bus.broker.tasks.usageTotals(running.bus.keys.usage(user: "telegram:42"))
                #expect(user.calls == 1)
            } teardown: {
                await running.service.shutdown()
            }
        } teardown: {
            await api.stop()
        }
    }

    @Test("over budget: no model call; the reply says so and still lists the matching command")
    func overBudget() async throws {
        let api = try await FakeModelAPI.started()
        try await withTeardown {
            let model = AnthropicModel(baseURL: api.url, apiKey: "k", model: "claude-sonnet-4-5", settings: HTTPModelSettings(maxRetries: 0, streaming: false))
            let running = try Running(model: model, budget: UsageBudget(userUSD: 0))
            try await withTeardown {
                let (_, result) = try await running.ask(ChatMessageRequest(text: "merge feature into main"))
                #expect(result?.reply.contains("over budget") == true)
                #expect(result?.suggestedCommand?.hasPrefix("/merge ") == true)
                #expect(api.received.isEmpty)
            } teardown: {
                await running.service.shutdown()
            }
        } teardown: {
            await api.stop()
        }
    }
}
