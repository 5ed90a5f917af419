import Foundation

/// Prices model calls from the registry's price table, adds them to the task and the ledger hashes, and
/// refuses a call whose user or agent has used up its budget.
public struct UsageLedger: Sendable {
    public var registry: AgentRegistry
    public var budget: UsageBudget

    public init(registry: AgentRegistry, budget: UsageBudget = UsageBudget()) {
        self.registry = registry
        self.budget = budget
    }

    /// The usage of one answer: its tokens, and the cost the provider reported or the price table gives (0 for a model the table does not list).
    public func usage(of response: ModelResponse) -> Usage {
        let cost = response.costUSD ?? registry.price(of: response.model)?.cost(tokensIn: response.tokensIn, tokensOut: response.tokensOut) ?? 0
        return Usage(tokensIn: response.tokensIn, tokensOut: response.tokensOut, costUSD: cost)
    }

    /// Throws `LanguageModelError.overBudget` when the scope's user or agent has spent its limit; makes no model call.
    public func checkBudget(_ scope: UsageScope, tasks: any TaskStore, keys: KeySpace) async throws {
        if let limit = budget.agentUSD {
            try check(spent: try await tasks.usageTotals(keys.usage(agent: scope.agent)).costUSD, limit: limit, who: "agent '\(scope.agent)'", variable: "LLM_BUDGET_AGENT_USD", key: keys.usage(agent: scope.agent))
        }
        if let limit = budget.userUSD, let user = scope.user {
            try check(spent: try await tasks.usageTotals(keys.usage(user: user)).costUSD, limit: limit, who: "user '\(user)'", variable: "LLM_BUDGET_USER_USD", key: keys.usage(user: user))
        }
    }

    private func check(spent: Double, limit: Double, who: String, variable: String, key: String) throws(LanguageModelError) {
        guard spent >= limit else { return }
        throw .overBudget("\(who) has used $\(Self.dollars(spent)) of its $\(Self.dollars(limit)) model budget (\(variable)); no model call was made. An operator can raise \(variable) or reset the total by deleting \(key).")
    }

    /// Records one answer on the task and in the conversation, user, agent, model and UTC-day totals; returns what was recorded.
    @discardableResult
    public func record(_ response: ModelResponse, scope: UsageScope, tasks: any TaskStore, keys: KeySpace) async throws -> Usage {
        let usage = usage(of: response)
        var totals = [keys.usage(agent: scope.agent), keys.usage(model: response.model), keys.usage(day: Self.day(Date()))]
        if let conversation = scope.conversation { totals.append(keys.usage(conversation: conversation)) }
        if let user = scope.user { totals.append(keys.usage(user: user)) }
        try await tasks.recordUsage(task: scope.task, usage: usage, totals: totals)
        return usage
    }

    /// `yyyy-mm-dd` of `date` in UTC: the day of `sb:usage:day:<day>`.
    public static func day(_ date: Date) -> String {
        String(ISO8601DateFormatter().string(from: date).prefix(10))
    }

    static func dollars(_ value: Double) -> String {
        let cents = (value * 10_000).rounded() / 10_000
        return "\(cents)"
    }
}
