import AgentBase
import Foundation
import Hummingbird
import Workflows

/// `GET /v1/workflows`, `GET /v1/schedules` and `GET /v1/webhooks`: what the orchestrator can run, when it will fire
/// (with its last slot and whether it is paused), and which webhook endpoints turn deliveries into tasks;
/// `POST /v1/schedules/{name}/run|pause|resume` for operators.
struct WorkflowRoutes: Sendable {
    let workflows: WorkflowCatalogue
    let schedules: ScheduleCatalogue
    let hooks: HookCatalogue
    let registry: AgentRegistry
    let redis: RedisConnection
    let keys: KeySpace
    let submitter: TaskSubmitter

    func add(to group: RouterGroup<GatewayRequestContext>) {
        group.get("workflows", use: listWorkflows)
        group.get("schedules", use: listSchedules)
        group.get("webhooks", use: listWebhooks)
        group.post("schedules/{name}/run", use: runSchedule)
        group.post("schedules/{name}/pause") { request, context in try await setPaused(true, request, context: context) }
        group.post("schedules/{name}/resume") { request, context in try await setPaused(false, request, context: context) }
    }

    @Sendable func listWebhooks(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        try context.require(.read)
        return try JSONResponse.make(.ok, hooks.endpoints.map(HookEndpointView.init))
    }

    /// Every schedule with its next fire time, last slot and pause state.
    func scheduleViews(now: Date = Date()) async throws -> [ScheduleView] {
        let names = schedules.schedules.map(\.name)
        let replies = try await redis.pipeline(names.flatMap { [RedisCommand(["GET", keys.scheduleLast($0)]), RedisCommand(["EXISTS", keys.schedulePaused($0)])] })
        return schedules.schedules.enumerated().map { offset, schedule in
            var view = ScheduleView(schedule, now: now)
            view.lastSlot = replies[2 * offset].string.flatMap { Double($0) }.map { Date(timeIntervalSince1970: $0).formatted(.iso8601) }
            view.paused = replies[2 * offset + 1].int == 1
            return view
        }
    }

    @Sendable func runSchedule(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        try context.require(.write)
        let schedule = try schedule(context)
        let (type, payload) = schedule.target.published
        let agent: AgentEntry?
        switch schedule.target {
        case .workflow: agent = registry.agent(consuming: type)
        case .message(_, let name, _, _): agent = registry.agent(named: name)
        }
        guard let agent else { throw APIError(.conflict, "no_agent", "no agent takes \(type) here") }
        try context.require(registry.permission(for: type, payload: payload))
        let task = "schedule-\(schedule.name)-manual-\(UUID().uuidString.prefix(8).lowercased())"
        let envelope = Envelope(type: type, payload: payload.jsonString, task: task, source: context.identity)
        guard case .queued = try await submitter.submit(envelope, task: task, to: agent) else { throw APIError(.conflict, "conflict", "send again") }
        var response = try JSONResponse.make(.accepted, Accepted(task: task, duplicate: nil))
        response.headers[.location] = "/v1/tasks/\(task)"
        return response
    }

    func setPaused(_ paused: Bool, _ request: Request, context: GatewayRequestContext) async throws -> Response {
        try context.require(.write)
        let schedule = try schedule(context)
        _ = try await redis.send(paused ? ["SET", keys.schedulePaused(schedule.name), context.identity] : ["DEL", keys.schedulePaused(schedule.name)])
        return try JSONResponse.make(.ok, JSONValue.object(["schedule": .string(schedule.name), "paused": .bool(paused)]))
    }

    private func schedule(_ context: GatewayRequestContext) throws -> ScheduleDefinition {
        let name = try context.parameters.require("name")
        guard let schedule = schedules.schedules.first(where: { $0.name == name }) else { throw APIError.notFound("no schedule '\(name)'") }
        return schedule
    }

    @Sendable func listWorkflows(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        try context.require(.read)
        return try JSONResponse.make(.ok, workflows.workflows.map(WorkflowView.init))
    }

    @Sendable func listSchedules(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        try context.require(.read)
        return try JSONResponse.make(.ok, try await scheduleViews())
    }
}

/// A workflow as `GET /v1/workflows` shows it.
struct WorkflowView: Encodable {
    var name: String
    var description: String
    var inputs: [WorkflowInput]
    var steps: [Step]

    /// A step (`loop` names the loop it belongs to).
    struct Step: Encodable {
        var name: String
        var type: String
        var agent: String
        var loop: String?
    }

    init(_ workflow: WorkflowDefinition) {
        name = workflow.name
        description = workflow.description
        inputs = workflow.inputs
        steps = workflow.items.flatMap { item -> [Step] in
            switch item {
            case .step(let step): [Step(name: step.name, type: step.type, agent: step.agent)]
            case .loop(let loop): loop.steps.map { Step(name: $0.name, type: $0.type, agent: $0.agent, loop: loop.name) }
            }
        }
    }
}

/// A schedule as `GET /v1/schedules` shows it, with its next fire time.
struct ScheduleView: Encodable {
    var name: String
    var description: String
    var cron: String
    var timeZone: String
    var workflow: String?
    var message: String
    var jitterSeconds: Double
    var missed: String
    var nextFire: String?
    /// The latest slot fired or skipped (ISO-8601), nil before the orchestrator first saw the schedule.
    var lastSlot: String?
    var paused = false

    enum CodingKeys: String, CodingKey {
        case name, description, cron, workflow, message, missed, paused
        case lastSlot = "last_slot"
        case timeZone = "time_zone"
        case jitterSeconds = "jitter_seconds"
        case nextFire = "next_fire"
    }

    init(_ schedule: ScheduleDefinition, now: Date) {
        name = schedule.name
        description = schedule.description
        cron = schedule.cron.source
        timeZone = schedule.timeZone.identifier
        if case .workflow(let name, _) = schedule.target { workflow = name }
        message = schedule.target.published.type
        jitterSeconds = Double(schedule.jitter.milliseconds) / 1000
        missed = schedule.missed.rawValue
        nextFire = schedule.nextFire(after: now).map { $0.formatted(.iso8601) }
    }
}
