import AgentBase

/// `/`: agents with live replicas, in-flight and processed counts and stream lag; tasks by status over the last
/// hour; today's spend; the latest failures; and events as they happen.
enum OverviewPage {
    static func body(_ report: OverviewReport) -> HTML {
        let agents = PageParts.table(
            ["Agent", "Replicas", "In flight", "Processed", "Failed", "Pending", "Undelivered"],
            report.agents.map { agent in
                ["<a href=\"/agents#\(agent.name)\">\(agent.name)</a>", "\(agent.replicas)", "\(agent.inFlight)", "\(agent.processed)", "\(agent.failed)", "\(agent.pending)", "\(agent.undelivered)"]
            }, empty: "No agents in the registry."
        )
        let statuses = TaskStatus.allCases.map { $0.rawValue.lowercased() }
        let counts = HTML.join(statuses.map { status in
            "<li><a href=\"/tasks?status=\(status)\">\(PageParts.status(status))</a> \(report.tasksLastHour[status] ?? 0)</li>"
        })
        let spend = report.spendToday
        return """
        <h1>Overview</h1>
        <div class="grid">
        <section class="card" aria-labelledby="h-hour"><h2 id="h-hour">Tasks in the last hour\(report.tasksLastHourCapped ? " (latest \(TaskIndex.scanLimit))" : "")</h2><ul id="tasks-by-status">\(counts)</ul></section>
        <section class="card" aria-labelledby="h-spend"><h2 id="h-spend">Spend today (UTC)</h2><p class="big" id="spend-today">\(PageParts.dollars(spend.costUSD))</p>
        <p class="muted">\(spend.tokensIn) tokens in, \(spend.tokensOut) out, \(spend.calls) model calls · <a href="/costs">costs</a></p></section>
        </div>
        <section class="card" aria-labelledby="h-agents"><h2 id="h-agents">Agents</h2>\(agents)</section>
        <section class="card" aria-labelledby="h-failures"><h2 id="h-failures">Recent failures</h2>\(PageParts.table(PageParts.taskHeaders, PageParts.taskRows(report.recentFailures), empty: "No failures."))</section>
        <section class="card" aria-labelledby="h-live"><h2 id="h-live">Live events</h2><ol id="live-events" class="timeline"></ol></section>
        """
    }
}
