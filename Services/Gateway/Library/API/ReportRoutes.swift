import AgentBase
import Foundation
import Hummingbird

/// `GET /v1/overview` (the dashboard's front page as JSON), `GET /v1/usage` (spend and tokens by agent, user, model and
/// day, with the budgets) and `GET /v1/runs/{id}` (a workflow run).
struct ReportRoutes: Sendable {
    let reports: DashboardReports

    func add(to group: RouterGroup<GatewayRequestContext>) {
        group.get("overview", use: overview)
        group.get("usage", use: usage)
        group.get("runs/{id}", use: run)
    }

    @Sendable func overview(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        try context.require(.read)
        return try JSONResponse.make(.ok, try await reports.overview())
    }

    @Sendable func usage(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        try context.require(.read)
        return try JSONResponse.make(.ok, try await reports.usage())
    }

    @Sendable func run(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        try context.require(.read)
        let id = try context.parameters.require("id")
        guard let run = try await reports.run(id) else { throw APIError.notFound("no run \(id) (unknown, or expired)") }
        return try JSONResponse.make(.ok, run.json)
    }
}
