import AgentBase
import Hummingbird

/// `DELETE /v1/dlq/{agent}/{id}` (drop one dead letter) and `POST /v1/dlq/{agent}/replay` (replay every one, oldest
/// first, up to 1,000 a call), both for admins; and the paged reading the `/dlq` page uses.
struct DeadLetterRoutes: Sendable {
    let redis: RedisConnection
    let keys: KeySpace
    let deadLetters: any DeadLetterQueue
    let registry: AgentRegistry

    func add(to group: RouterGroup<GatewayRequestContext>) {
        group.delete("dlq/{agent}/{id}", use: delete)
        group.post("dlq/{agent}/replay", use: replayAll)
    }

    /// Up to `count` dead letters of `agent` after the entry id `after` (oldest first), and how many there are.
    func page(agent: String, after: String?, count: Int) async throws -> (letters: [StreamEntry], total: Int) {
        let start = after.flatMap { $0.wholeMatch(of: /[0-9]{1,20}-[0-9]{1,20}/) != nil ? "(\($0)" : nil } ?? "-"
        let replies = try await redis.pipeline([["XRANGE", keys.deadLetters(agent), start, "+", "COUNT", String(count)], ["XLEN", keys.deadLetters(agent)]])
        return ((replies[0].array ?? []).map(StreamEntry.init(reply:)), replies[1].int ?? 0)
    }

    @Sendable func delete(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        try context.require(.admin)
        let agent = try Self.agent(context, registry: registry)
        let id = try Self.entryID(context)
        guard try await redis.send(["XDEL", keys.deadLetters(agent.name), id]).int == 1 else { throw APIError.notFound("no dead letter \(id) of \(agent.name)") }
        return Response(status: .noContent)
    }

    @Sendable func replayAll(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        try context.require(.admin)
        let agent = try Self.agent(context, registry: registry)
        var replayed: [String] = []
        for letter in try await deadLetters.deadLetters(agent: agent.name, count: 1000) {
            do {
                replayed.append(try await deadLetters.replayDeadLetter(agent: agent.name, id: letter.id, stream: keys.stream(relative: agent.stream)))
            } catch BrokerError.notFound {
                continue  // replayed or deleted meanwhile
            }
        }
        return try JSONResponse.make(.accepted, JSONValue.object(["replayed": .number(Double(replayed.count)), "entries": .array(replayed.map(JSONValue.string))]))
    }

    /// The registry's agent named in the path; 404 for any other name.
    /// The path's `id`: a stream entry id `<ms>[-<seq>]`, each part at most 19 digits (so within Redis's 64 bits), else 400 `bad_id`.
    static func entryID(_ context: GatewayRequestContext) throws -> String {
        let id = try context.parameters.require("id")
        guard id.wholeMatch(of: /[0-9]{1,19}(-[0-9]{1,19})?/) != nil else {
            throw APIError(.badRequest, "bad_id", "'\(id)' is not a stream entry id (e.g. 1764512345678-0)")
        }
        return id
    }

    static func agent(_ context: GatewayRequestContext, registry: AgentRegistry) throws -> AgentEntry {
        let name = try context.parameters.require("agent")
        guard let agent = registry.agent(named: name) else {
            throw APIError.notFound("no agent '\(name)' (agents: \(registry.agents.map(\.name).joined(separator: ", ")))")
        }
        return agent
    }
}
