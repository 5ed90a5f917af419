import AgentBase
import Foundation
import Hummingbird

/// `GET /v1/tasks` (filtered, paged, newest first), `GET /v1/events` (every task's events as Server-Sent Events) and
/// `POST /v1/tasks/{id}/replay` (publishes a failed task's request again as a new task).
struct TaskListRoutes: Sendable {
    let index: TaskIndex
    let tasks: any TaskStore
    let registry: AgentRegistry
    let events: EventHub
    let streamTiming: StreamTiming
    let chat: ChatService

    /// The largest page.
    static let maxLimit = 200

    func add(to group: RouterGroup<GatewayRequestContext>) {
        group.get("tasks", use: list)
        group.get("events", use: allEvents)
        group.post("tasks/{id}/replay", use: replay)
    }

    /// A page of tasks for a query string (`status`, `agent`, `type`, `source`, `since`, `until`, `limit`, `after`).
    func page(_ query: [String: String]) async throws -> (filter: TaskFilter, page: TaskIndex.Page) {
        let filter = try TaskFilter(query: query)
        let limit = try query["limit"].map { text -> Int in
            guard let limit = Int(text), (1...Self.maxLimit).contains(limit) else { throw APIError.badRequest("'limit' must be 1 to \(Self.maxLimit)") }
            return limit
        } ?? 50
        return (filter, try await index.list(filter, after: query["after"], limit: limit))
    }

    @Sendable func list(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        try context.require(.read)
        let (_, page) = try await page(Self.query(request))
        var object: [String: JSONValue] = ["tasks": .array(try page.tasks.map { try JSONValue(parsing: TaskView($0).json()) })]
        object["next"] = page.next.map(JSONValue.string) ?? .null
        return try JSONResponse.make(.ok, JSONValue.object(object))
    }

    @Sendable func allEvents(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        try context.require(.read)
        return EventStreamResponse.make(first: nil, events: events.watchAll(), timing: streamTiming, endOnTerminal: false)
    }

    @Sendable func replay(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        try context.require(.write)
        let id = try context.parameters.require("id")
        guard let snapshot = try await tasks.task(id) else { throw APIError.notFound("no task \(id)") }
        guard try await chat.origins.mayTouch(id, snapshot: snapshot, context.requester) else {
            throw APIError(.forbidden, "forbidden", "task \(id) was not published by \(context.identity); only its requester or an admin may replay it")
        }
        guard snapshot.status == .failed else {
            throw APIError(.conflict, "not_failed", "only a failed task is replayed (task \(id) is \(snapshot.status?.rawValue.lowercased() ?? "unknown"))")
        }
        guard let original = try await index.request(of: snapshot), let type = original["type"], let payload = original["payload"],
              let agent = registry.agent(consuming: type) else {
            throw APIError(.gone, "request_gone", "the request of task \(id) is no longer on its stream")
        }
        try context.require(registry.permission(for: type, payload: (try? JSONValue(parsing: payload)) ?? .object([:])))
        let task = UUID().uuidString.lowercased()
        let envelope = Envelope(type: type, payload: payload, source: context.identity, conversation: original["conversation"])
        guard case .queued = try await chat.submitter.submit(envelope, task: task, to: agent) else {
            throw APIError(.conflict, "conflict", "task id collision; send again")
        }
        var response = try JSONResponse.make(.accepted, Accepted(task: task, duplicate: nil))
        response.headers[.location] = "/v1/tasks/\(task)"
        return response
    }

    static func query(_ request: Request) -> [String: String] {
        var query: [String: String] = [:]
        for (name, value) in request.uri.queryParameters { query[String(name)] = String(value) }
        return query
    }
}
