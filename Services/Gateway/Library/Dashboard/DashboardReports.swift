import AgentBase

/// Where the dashboard's pages and their JSON twins get their data: one place, so a page and its API agree.
struct DashboardReports: Sendable {
    let registry: AgentRegistry
    let bus: RedisBus
    let budget: UsageBudget
    var index: TaskIndex { TaskIndex(redis: bus.redis, keys: bus.keys) }

    func overview() async throws -> OverviewReport {
        try await OverviewReport.make(registry: registry, liveness: bus.liveness, redis: bus.redis, keys: bus.keys, tasks: bus.tasks, index: index)
    }

    func usage() async throws -> UsageReport {
        try await UsageReport.make(registry: registry, tasks: bus.tasks, redis: bus.redis, keys: bus.keys, budget: budget)
    }

    func run(_ id: String) async throws -> RunView? {
        try await RunView.load(id, redis: bus.redis, keys: bus.keys)
    }
}
