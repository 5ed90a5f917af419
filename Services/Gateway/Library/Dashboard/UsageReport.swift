import AgentBase
import Foundation

/// Model spend and tokens by agent, user, model and UTC day (the ledger hashes `sb:usage:…`), with the budget limits.
struct UsageReport: Encodable, Sendable {
    /// One total and what it is of.
    struct Line: Encodable, Sendable {
        var name: String
        var totals: UsageTotals

        enum CodingKeys: String, CodingKey {
            case name, calls
            case tokensIn = "tokens_in"
            case tokensOut = "tokens_out"
            case costUSD = "cost_usd"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            try container.encode(totals.tokensIn, forKey: .tokensIn)
            try container.encode(totals.tokensOut, forKey: .tokensOut)
            try container.encode(totals.costUSD, forKey: .costUSD)
            try container.encode(totals.calls, forKey: .calls)
        }
    }

    var agents: [Line]
    var users: [Line]
    var models: [Line]
    /// The last `days` UTC days, oldest first.
    var days: [Line]
    var budget: UsageBudget

    enum CodingKeys: String, CodingKey {
        case agents, users, models, days, budget
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(agents, forKey: .agents)
        try container.encode(users, forKey: .users)
        try container.encode(models, forKey: .models)
        try container.encode(days, forKey: .days)
        try container.encode(["agent_usd": budget.agentUSD, "user_usd": budget.userUSD], forKey: .budget)
    }

    /// The most users or models a report lists (the biggest spenders).
    static let maxLines = 50

    static func make(registry: AgentRegistry, tasks: any TaskStore, redis: RedisConnection, keys: KeySpace, budget: UsageBudget, days: Int = 14, now: Date = Date()) async throws -> UsageReport {
        var agents: [Line] = []
        for agent in registry.agents {
            agents.append(Line(name: agent.name, totals: try await tasks.usageTotals(keys.usage(agent: agent.name))))
        }
        var dayLines: [Line] = []
        for back in (0..<days).reversed() {
            let day = UsageLedger.day(now.addingTimeInterval(-Double(back) * 86_400))
            dayLines.append(Line(name: day, totals: try await tasks.usageTotals(keys.usage(day: day))))
        }
        return UsageReport(
            agents: agents, users: try await top("user", tasks: tasks, redis: redis, keys: keys),
            models: try await top("model", tasks: tasks, redis: redis, keys: keys), days: dayLines, budget: budget
        )
    }

    /// The `maxLines` biggest spenders of a kind (`user`, `model`) from its index `sb:usage:index:<kind>`.
    private static func top(_ kind: String, tasks: any TaskStore, redis: RedisConnection, keys: KeySpace) async throws -> [Line] {
        let names = (try await redis.send(["ZREVRANGE", keys.usageIndex(kind: kind), "0", String(maxLines - 1)]).array ?? []).compactMap(\.string)
        var lines: [Line] = []
        for name in names { lines.append(Line(name: name, totals: try await tasks.usageTotals(keys.usage(kind: kind, name: name)))) }
        return lines
    }
}
