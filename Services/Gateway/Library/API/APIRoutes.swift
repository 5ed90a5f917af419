import AgentBase
import Foundation
import Hummingbird
import NIOFoundationEssentialsCompat

/// The `/v1` REST API: publish messages, follow tasks (JSON and Server-Sent Events), cancel them,
/// list agents, inspect and replay dead letters. Viewers read, operators publish and cancel their own tasks, admins
/// do everything.
struct APIRoutes: Sendable {
    let keys: KeySpace
    let tasks: any TaskStore
    let liveness: any Liveness
    let deadLetters: any DeadLetterQueue
    let registry: AgentRegistry
    let schemas: SchemaLibrary?
    let events: EventHub
    /// Keep-alive and longest life of a task's event stream (`GATEWAY_SSE_KEEPALIVE`, `GATEWAY_SSE_MAX_AGE`).
    let streamTiming: StreamTiming
    let limiter: RateLimiter?
    /// Ownership of tasks, the repository allow-list and the way tasks are submitted are the chat's too.
    let chat: ChatService

    /// Largest request body accepted.
    static let maxBody = 1 << 20

    func add(to group: RouterGroup<GatewayRequestContext>) {
        group.post("messages", use: postMessage)
        group.get("tasks/{id}", use: getTask)
        group.get("tasks/{id}/events", use: taskEvents)
        group.post("tasks/{id}/cancel", use: cancelTask)
        group.get("agents", use: listAgents)
        group.get("dlq/{agent}", use: listDeadLetters)
        group.post("dlq/{agent}/{id}/replay", use: replayDeadLetter)
    }

    // MARK: Messages

    @Sendable func postMessage(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        try context.require(.write)
        let body = try await request.body.collect(upTo: Self.maxBody)
        guard let value = try? JSONValue(parsing: Data(buffer: body)), case .object(let fields) = value else {
            throw APIError.badRequest("the body must be a JSON object: {\"type\": \"…\", \"payload\": {…}}")
        }
        guard let type = fields["type"]?.stringValue, !type.isEmpty else {
            throw APIError.badRequest("'type' is required, e.g. \"todos.scrape\"")
        }
        guard let agent = registry.agent(consuming: type) else {
            let known = registry.agents.flatMap(\.consumes).sorted().joined(separator: ", ")
            throw APIError(.badRequest, "unknown_type", "no agent consumes '\(type)' (known types: \(known))")
        }
        guard let payload = fields["payload"], case .object = payload else {
            throw APIError.badRequest("'payload' must be a JSON object")
        }
        let optional = try ["conversation", "idempotency_key", "reply_to"].reduce(into: [String: String]()) { result, name in
            guard let field = fields[name], !field.isNull else { return }
            guard let text = field.stringValue else { throw APIError.badRequest("'\(name)' must be a string") }
            result[name] = text
        }
        if let replyTo = optional["reply_to"], !Envelope.isReplyStream(replyTo, keys: keys) {
            throw APIError(.badRequest, "bad_reply_to", "'reply_to' must be a stream under \(keys.replyPrefix) (got '\(replyTo)')")
        }
        do {
            try PayloadCheck.beforePublishing(type: type, value: payload, schemas: schemas)
        } catch {
            throw APIError(.unprocessableContent, "invalid_payload", error.reason, details: error.reason.components(separatedBy: "; "))
        }
        try context.require(registry.permission(for: type, payload: payload))
        if let refusal = chat.repositories.refusal(type: type, payload: payload) {
            throw APIError(.forbidden, refusal.code, refusal.message)
        }
        let client = context.client ?? "anonymous"
        if let limiter, let wait = try await limiter.take(user: client, channel: "api") {
            throw APIError(.tooManyRequests, "rate_limited", "client '\(client)' may publish \(limiter.limit) messages per \(limiter.window); try again later", retryAfter: wait)
        }
        let task = UUID().uuidString.lowercased()
        // Keys are per client: the agent's own dedupe (`sb:idem:<agent>:<key>`) must not join two clients' keys.
        let idempotencyKey = optional["idempotency_key"].map { "\(client):\($0)" }
        let envelope = Envelope(
            type: type, payload: payload.jsonString, replyTo: optional["reply_to"], source: context.identity,
            conversation: optional["conversation"], idempotencyKey: idempotencyKey
        )
        switch try await chat.submitter.submit(envelope, task: task, to: agent) {
        case .queued: break
        case .duplicate(let existing): return try JSONResponse.make(.ok, Accepted(task: existing, duplicate: true))
        case .exists: throw APIError(.conflict, "conflict", "task id collision; send again")
        }
        var response = try JSONResponse.make(.accepted, Accepted(task: task, duplicate: nil))
        response.headers[.location] = "/v1/tasks/\(task)"
        return response
    }

    // MARK: Tasks

    @Sendable func getTask(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        try context.require(.read)
        let id = try context.parameters.require("id")
        guard let snapshot = try await tasks.task(id) else { throw APIError.notFound("no task \(id) (unknown, or expired)") }
        return try JSONResponse.make(.ok, TaskView(snapshot))
    }

    @Sendable func taskEvents(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        try context.require(.read)
        let id = try context.parameters.require("id")
        let stream = events.watch(task: id)
        guard let snapshot = try await tasks.task(id) else { throw APIError.notFound("no task \(id) (unknown, or expired)") }
        let first = ServerSentEvent(event: "task.snapshot", id: nil, data: TaskView(snapshot).json())
        return EventStreamResponse.make(first: first, events: snapshot.status?.isTerminal == true ? nil : stream, timing: streamTiming, endOnTerminal: true)
    }

    @Sendable func cancelTask(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        try context.require(.write)
        let id = try context.parameters.require("id")
        guard let snapshot = try await tasks.task(id) else { throw APIError.notFound("no task \(id)") }
        guard try await chat.origins.mayTouch(id, snapshot: snapshot, context.requester) else {
            throw APIError(.forbidden, "forbidden", "task \(id) was not published by '\(context.client ?? "?")'; only its requester or an admin may cancel it")
        }
        switch try await tasks.requestCancel(task: id) {
        case .unknownTask:
            throw APIError.notFound("no task \(id)")
        case .alreadyEnded(let status):
            throw APIError(.conflict, "already_ended", "task \(id) has ended already (\(status?.rawValue ?? "?"))")
        case .cancelled:
            return try JSONResponse.make(.ok, ["task": id, "status": TaskStatus.cancelled.rawValue])
        case .requested:
            return try JSONResponse.make(.accepted, ["task": id, "status": "CANCELLING"])
        }
    }

    // MARK: Agents and dead letters

    @Sendable func listAgents(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        try context.require(.read)
        return try JSONResponse.make(.ok, try await AgentOverview.list(registry, liveness: liveness, keys: keys))
    }

    @Sendable func listDeadLetters(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        try context.require(.read)
        let agent = try knownAgent(context)
        let count = try request.uri.queryParameters["count"].map { text in
            guard let count = Int(text), (1...10_000).contains(count) else { throw APIError.badRequest("'count' must be an integer from 1 to 10000 (got '\(text)')") }
            return count
        } ?? 100
        let letters = try await deadLetters.deadLetters(agent: agent.name, count: count)
        return try JSONResponse.make(.ok, letters.map { letter in
            var object = ["id": letter.id]
            for (name, value) in letter.fields ?? [] where object[name] == nil { object[name] = value }
            return object
        })
    }

    @Sendable func replayDeadLetter(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        try context.require(.admin)
        let agent = try knownAgent(context)
        let id = try DeadLetterRoutes.entryID(context)
        do {
            let entry = try await deadLetters.replayDeadLetter(agent: agent.name, id: id, stream: keys.stream(relative: agent.stream))
            return try JSONResponse.make(.accepted, ["dead_letter": id, "entry": entry, "stream": keys.stream(relative: agent.stream)])
        } catch BrokerError.notFound(let what) {
            throw APIError.notFound(what)
        }
    }

    private func knownAgent(_ context: GatewayRequestContext) throws -> AgentEntry {
        try DeadLetterRoutes.agent(context, registry: registry)
    }
}

/// The 202 body of `POST /v1/messages`.
struct Accepted: Encodable {
    var task: String
    var duplicate: Bool?

    enum CodingKeys: String, CodingKey {
        case task, duplicate
        case statusURL = "status_url"
        case eventsURL = "events_url"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(task, forKey: .task)
        try container.encode("/v1/tasks/\(task)", forKey: .statusURL)
        try container.encode("/v1/tasks/\(task)/events", forKey: .eventsURL)
        try container.encodeIfPresent(duplicate, forKey: .duplicate)
    }
}
