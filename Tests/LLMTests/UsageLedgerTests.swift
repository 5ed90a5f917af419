import AgentBase
import Foundation
@testable import LLMProviders
import SwitchboardTesting
import Testing

/// `MeteredModel` and `UsageLedger` on a real Redis with a local Anthropic server: the task hash, the
/// conversation/user/agent totals, prices from the registry, budgets checked before the call, and the fallback model.
@Suite struct UsageLedgerTests {
    static let registry: AgentRegistry = {
        var registry = AgentRegistry(agents: [AgentEntry(name: "assistant", consumes: ["chat.message"])])
        registry.prices = ["claude-test": ModelPrice(inputPerMTok: 3, outputPerMTok: 15)]
        return registry
    }()

    static func model(_ api: FakeModelAPI, retries: Int = 0) -> AnthropicModel {
        AnthropicModel(baseURL: api.url, apiKey: "k", model: "claude-test", settings: HTTPModelSettings(timeout: .seconds(10), maxRetries: retries, firstRetryWait: .milliseconds(20), streaming: false))
    }

    static func metered(_ base: any LanguageModel, bus: TestBus, task: String, source: String = "telegram:42", budget: UsageBudget = UsageBudget()) -> MeteredModel {
        let scope = UsageScope(task: task, agent: "assistant", conversation: "telegram:42:7", user: UsageScope.user(fromSource: source))
        return MeteredModel(base: base, ledger: UsageLedger(registry: registry, budget: budget), scope: scope, tasks: bus.broker.tasks, keys: bus.keys, logger: quietLogger)
    }

    @Test("every call adds tokens and cost to the task hash and to the conversation, user and agent totals")
    func sums() async throws {
        let bus = try TestBus()
        let api = try await FakeModelAPI.started()
        try await withTeardown {
            api.script(
                .json(AnthropicFixtures.message([AnthropicFixtures.text("one")], input: 1000, output: 200)),
                .json(AnthropicFixtures.message([AnthropicFixtures.text("two")], model: "claude-test-20260101", input: 2000, output: 100)),
                .json(AnthropicFixtures.message([AnthropicFixtures.text("three")], input: 10, output: 10))
            )
            let model = Self.model(api)
            _ = try await Self.metered(model, bus: bus, task: "task-a").respond(to: ModelRequest(system: "", messages: [.user("1")]))
            _ = try await Self.metered(model, bus: bus, task: "task-a").respond(to: ModelRequest(system: "", messages: [.user("2")]))
            _ = try await Self.metered(model, bus: bus, task: "task-b", source: "slack:T1/C2/1700000000.1").respond(to: ModelRequest(system: "", messages: [.user("3")]))
            let task = try #require(try await bus.broker.tasks.task("task-a"))
            #expect(task.fields["tokens_in"] == "3000")
            #expect(task.fields["tokens_out"] == "300")
            // 1000×3 + 200×15 = 6000 µ$ ; 2000×3 + 100×15 = 7500 µ$ (a dated model priced as its prefix).
            #expect(abs((Double(task.fields["cost_usd"] ?? "") ?? 0) - 0.0135) < 1e-9)
            let agent = try await bus.broker.tasks.usageTotals(bus.keys.usage(agent: "assistant"))
            #expect(agent.calls == 3 && agent.tokensIn == 3010 && agent.tokensOut == 310)
            let conversation = try await bus.broker.tasks.usageTotals(bus.keys.usage(conversation: "telegram:42:7"))
            #expect(conversation.calls == 3)
            let user = try await bus.broker.tasks.usageTotals(bus.keys.usage(user: "telegram:42"))
            #expect(user.calls == 2 && abs(user.costUSD - 0.0135) < 1e-9)
            let slack = try await bus.broker.tasks.usageTotals(bus.keys.usage(user: "slack:T1/C2"))
            #expect(slack.calls == 1 && slack.tokensIn == 10)
        } teardown: {
            await api.stop()
        }
    }

    @Test("over budget: a clear error and no request reaches the provider")
    func budget() async throws {
        let bus = try TestBus()
        let api = try await FakeModelAPI.started()
        try await withTeardown {
            api.script(.json(AnthropicFixtures.message([AnthropicFixtures.text("one")], input: 1_000_000, output: 0)))
            let budget = UsageBudget(userUSD: 2.5)
            _ = try await Self.metered(Self.model(api), bus: bus, task: "t1", budget: budget).respond(to: ModelRequest(system: "", messages: [.user("1")]))
            let spent = try await bus.broker.tasks.usageTotals(bus.keys.usage(user: "telegram:42"))
            #expect(spent.costUSD == 3)
            let error = await #expect(throws: LanguageModelError.self) {
                try await Self.metered(Self.model(api), bus: bus, task: "t2", budget: budget).respond(to: ModelRequest(system: "", messages: [.user("2")]))
            }
            guard case .overBudget(let message)? = error else { Issue.record("expected overBudget, got \(String(describing: error))"); return }
            #expect(message.contains("user 'telegram:42'") && message.contains("LLM_BUDGET_USER_USD") && message.contains("$2.5"))
            #expect(api.received.count == 1)
            let agentBudget = UsageBudget(agentUSD: 1)
            await #expect(throws: LanguageModelError.self) {
                try await Self.metered(Self.model(api), bus: bus, task: "t3", source: "telegram:99", budget: agentBudget).respond(to: ModelRequest(system: "", messages: [.user("3")]))
            }
            #expect(api.received.count == 1)
        } teardown: {
            await api.stop()
        }
    }

    @Test("the fallback model is asked once when the primary fails with a retryable error after its retries")
    func fallback() async throws {
        let api = try await FakeModelAPI.started()
        try await withTeardown {
            api.script(
                .json(["type": "error", "error": ["type": "api_error", "message": "down"]], status: 500),
                .json(["type": "error", "error": ["type": "api_error", "message": "still down"]], status: 500),
                .json(AnthropicFixtures.message([AnthropicFixtures.text("from the fallback")], model: "claude-small"))
            )
            let log = EventLog()
            let model = FallbackModel(base: Self.model(api, retries: 1), fallback: "claude-small")
            let response = try await model.respond(to: ModelRequest(system: "", messages: [.user("hi")])) { await log.add($0) }
            #expect(response.text == "from the fallback")
            #expect(api.received.map { $0.body["model"]?.stringValue } == ["claude-test", "claude-test", "claude-small"])
            #expect(await log.events.contains { if case .status(let note) = $0 { note.contains("fallback model claude-small") } else { false } })
            api.script(.json(["type": "error", "error": ["type": "invalid_request_error", "message": "bad"]], status: 400))
            await #expect(throws: LanguageModelError.http(status: 400, message: "bad")) { try await model.respond(to: ModelRequest(system: "", messages: [.user("hi")])) }
            #expect(api.received.count == 4)
        } teardown: {
            await api.stop()
        }
    }
}
