import AgentBase

/// `/costs`: spend and tokens by agent, user, model and day, drawn as SVG bar charts, with the budget limits
/// (`LLM_BUDGET_AGENT_USD`, `LLM_BUDGET_USER_USD`) as dashed lines and in words.
enum CostsPage {
    static func body(_ report: UsageReport) -> HTML {
        func chart(_ lines: [UsageReport.Line], title: String, limit: Double? = nil) -> HTML {
            PageParts.barChart(lines.map { ($0.name, $0.totals.costUSD, "\(PageParts.dollars($0.totals.costUSD)) · \($0.totals.tokensIn + $0.totals.tokensOut) tokens") }, title: title, limit: limit)
        }
        func tokens(_ lines: [UsageReport.Line], title: String) -> HTML {
            PageParts.barChart(lines.map { ($0.name, Double($0.totals.tokensIn + $0.totals.tokensOut), "\($0.totals.tokensIn) in · \($0.totals.tokensOut) out") }, title: title)
        }
        let budget = report.budget
        let limits: HTML = """
        <p>Budget per agent: <strong id="budget-agent">\(budget.agentUSD.map(PageParts.dollars) ?? "none")</strong> (LLM_BUDGET_AGENT_USD) ·
        per user: <strong id="budget-user">\(budget.userUSD.map(PageParts.dollars) ?? "none")</strong> (LLM_BUDGET_USER_USD). A dashed line marks a limit.</p>
        """
        return """
        <h1>Costs</h1>\(limits)
        <section class="card" aria-labelledby="h-day"><h2 id="h-day">Spend by day (UTC, last \(report.days.count) days)</h2>\(chart(report.days, title: "Spend by day"))</section>
        <section class="card" aria-labelledby="h-agent"><h2 id="h-agent">Spend by agent</h2>\(chart(report.agents, title: "Spend by agent", limit: budget.agentUSD))
        \(tokens(report.agents, title: "Tokens by agent"))</section>
        <section class="card" aria-labelledby="h-user"><h2 id="h-user">Spend by user</h2>\(chart(report.users, title: "Spend by user", limit: budget.userUSD))</section>
        <section class="card" aria-labelledby="h-model"><h2 id="h-model">Spend by model</h2>\(chart(report.models, title: "Spend by model"))\(tokens(report.models, title: "Tokens by model"))</section>
        """
    }
}
