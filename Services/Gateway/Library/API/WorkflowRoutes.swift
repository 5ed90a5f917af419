import AgentBase
import Foundation
import Hummingbird
import Workflows

/// `GET /v1/workflows`, `GET /v1/schedules` and `GET /v1/webhooks`: what the orchestrator can run, when it will fire,
/// and which webhook endpoints turn deliveries into tasks.
struct WorkflowRoutes: Sendable {
    let workflows: WorkflowCatalogue
    let schedules: ScheduleCatalogue
    let hooks: HookCatalogue

    func add(to group: RouterGroup<GatewayRequestContext>) {
        group.get("workflows", use: listWorkflows)
        group.get("schedules", use: listSchedules)
        group.get("webhooks", use: listWebhooks)
    }

    @Sendable func listWebhooks(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        try context.require(.read)
        return try JSONResponse.make(.ok, hooks.endpoints.map(HookEndpointView.init))
    }

    @Sendable func listWorkflows(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        try context.require(.read)
        return try JSONResponse.make(.ok, workflows.workflows.map(WorkflowView.init))
    }

    @Sendable func listSchedules(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        try context.require(.read)
        let now = Date()
        return try JSONResponse.make(.ok, schedules.schedules.map { ScheduleView($0, now: now) })
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

    enum CodingKeys: String, CodingKey {
        case name, description, cron, workflow, message, missed
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
