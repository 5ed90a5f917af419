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
            agents: agents, users: try await scan(keys.usage(user: ""), tasks: tasks, redis: redis),
            models: try await scan(keys.usage(model: ""), tasks: tasks, redis: redis), days: dayLines, budget: budget
        )
    }

    /// The ledger hashes under `prefix`, biggest spend first (at most `maxLines`, from at most 10 SCAN rounds).
    private static func scan(_ prefix: String, tasks: any TaskStore, redis: RedisConnection) async throws -> [Line] {
        var cursor = "0"
        var names: Set<String> = []
        for _ in 0..<10 {
            let reply = try await redis.send(["SCAN", cursor, "MATCH", prefix + "*", "COUNT", "1000"])
            guard let parts = reply.array, parts.count == 2 else { break }
            cursor = parts[0].string ?? "0"
            for key in parts[1].array ?? [] { if let key = key.string { names.insert(String(key.dropFirst(prefix.count))) } }
            if cursor == "0" || names.count >= 1000 { break }
        }
        var lines: [Line] = []
        for name in names { lines.append(Line(name: name, totals: try await tasks.usageTotals(prefix + name))) }
        return Array(lines.sorted { ($0.totals.costUSD, $0.totals.tokensIn) > ($1.totals.costUSD, $1.totals.tokensIn) }.prefix(maxLines))
    }
}
