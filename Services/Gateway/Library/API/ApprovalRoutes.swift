import AgentBase
import Foundation
import Hummingbird
import NIOFoundationEssentialsCompat

/// `GET /v1/approvals` (pending admin requests, for anyone who may read) and `POST /v1/approvals/{id}`
/// `{"decision": "approve" | "deny"}` (admins only): the API's and the dashboard's side of approvals.
struct ApprovalRoutes: Sendable {
    let chat: ChatService

    func add(to group: RouterGroup<GatewayRequestContext>) {
        group.get("approvals", use: list)
        group.post("approvals/{id}", use: decide)
    }

    @Sendable func list(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        try context.require(.read)
        return try JSONResponse.make(.ok, JSONValue.array(try await chat.approvals.pending().map(\.json)))
    }

    @Sendable func decide(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        try context.require(.admin)
        let id = try context.parameters.require("id")
        let body = try await request.body.collect(upTo: 4096)
        guard let value = try? JSONValue(parsing: Data(buffer: body)), let decision = value["decision"]?.stringValue, ["approve", "deny"].contains(decision) else {
            throw APIError.badRequest(#"the body must be {"decision": "approve"} or {"decision": "deny"}"#)
        }
        let (outcome, text) = try await chat.decide(id, approve: decision == "approve", by: context.requester)
        switch outcome {
        case .decided(let approval):
            return try JSONResponse.make(.ok, approval.json)
        case .alreadyDecided(let approval):
            throw APIError(.conflict, "already_decided", text, details: [approval.status.rawValue])
        case .expired:
            throw APIError(.gone, "expired", text)
        case .unknown:
            throw APIError.notFound(text)
        case .notAllowed:
            throw APIError(.forbidden, "forbidden", text)
        }
    }
}
