import AgentBase
import Foundation

/// What the overview shows: each agent's live replicas, work in flight and done, and stream lag; tasks by status
/// over the last hour; today's spend; the latest failures.
struct OverviewReport: Encodable, Sendable {
    /// One agent's line.
    struct Agent: Encodable, Sendable {
        var name: String
        var replicas: Int
        var inFlight: Int
        var processed: Int
        var failed: Int
        /// Entries delivered to a consumer and not yet acknowledged.
        var pending: Int
        /// Entries not yet delivered to the agent's consumer group.
        var undelivered: Int

        enum CodingKeys: String, CodingKey {
            case name, replicas, processed, failed, pending, undelivered
            case inFlight = "in_flight"
        }
    }

    var agents: [Agent]
    var tasksLastHour: [String: Int]
    /// Whether the last hour had more tasks than were counted (`TaskIndex.scanLimit`).
    var tasksLastHourCapped: Bool
    var spendToday: UsageTotals
    var recentFailures: [TaskSnapshot]

    enum CodingKeys: String, CodingKey {
        case agents
        case tasksLastHour = "tasks_last_hour"
        case tasksLastHourCapped = "tasks_last_hour_capped"
        case spendToday = "spend_today"
        case recentFailures = "recent_failures"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(agents, forKey: .agents)
        try container.encode(tasksLastHour, forKey: .tasksLastHour)
        try container.encode(tasksLastHourCapped, forKey: .tasksLastHourCapped)
        try container.encode(UsageReport.Line(name: UsageLedger.day(Date()), totals: spendToday), forKey: .spendToday)
        try container.encode(recentFailures.map(TaskView.init), forKey: .recentFailures)
    }

    static func make(registry: AgentRegistry, liveness: any Liveness, redis: RedisConnection, keys: KeySpace, tasks: any TaskStore, index: TaskIndex) async throws -> OverviewReport {
        let overviews = try await AgentOverview.list(registry, liveness: liveness, keys: keys)
        var agents: [Agent] = []
        for overview in overviews {
            let (pending, undelivered) = try await lag(of: keys.stream(relative: overview.stream), redis: redis)
            agents.append(Agent(
                name: overview.name, replicas: overview.instances.count, inFlight: overview.instances.map(\.inFlight).reduce(0, +),
                processed: overview.instances.map(\.processed).reduce(0, +), failed: overview.instances.map(\.failed).reduce(0, +),
                pending: pending, undelivered: undelivered
            ))
        }
        let hourAgo = Int64(Date().timeIntervalSince1970 * 1000) - 3_600_000
        let (counts, capped) = try await index.countByStatus(since: hourAgo)
        var failed = TaskFilter()
        failed.status = .failed
        return OverviewReport(
            agents: agents, tasksLastHour: counts, tasksLastHourCapped: capped,
            spendToday: try await tasks.usageTotals(keys.usage(day: UsageLedger.day(Date()))),
            recentFailures: try await index.list(failed, after: nil, limit: 5).tasks
        )
    }

    /// Pending (delivered, unacknowledged) and undelivered entries of a stream over its consumer groups.
    static func lag(of stream: String, redis: RedisConnection) async throws -> (pending: Int, undelivered: Int) {
        guard case .array(let groups)? = try? await redis.send(["XINFO", "GROUPS", stream]) else { return (0, 0) }
        var pending = 0
        var undelivered = 0
        for group in groups {
            let fields = group.array ?? []
            for index in stride(from: 0, to: fields.count - 1, by: 2) {
                switch fields[index].string {
                case "pending": pending += fields[index + 1].int ?? 0
                case "lag": undelivered += fields[index + 1].int ?? 0
                default: break
                }
            }
        }
        return (pending, undelivered)
    }
}
