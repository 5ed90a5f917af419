import AgentBase
import Workflows

/// A workflow run as `GET /v1/runs/{id}` and `/runs/{id}` show it, from the orchestrator's `sb:run:<id>`: its status,
/// the steps that ended, the step in flight, the failure and the output.
struct RunView: Sendable {
    var id: String
    var workflow: String
    var status: String
    var state: JSONValue

    var steps: [JSONValue] { state["steps"]?.arrayValue ?? [] }
    var current: JSONValue? { state["current"].flatMap { $0.isNull ? nil : $0 } }
    var failure: String? { state["failure"]?.stringValue }
    var output: JSONValue? { state["output"].flatMap { $0.isNull ? nil : $0 } }

    /// The run, or nil when there is none (unknown, or expired).
    static func load(_ id: String, redis: RedisConnection, keys: KeySpace) async throws -> RunView? {
        let reply = try await redis.send(["HMGET", keys.run(id), "workflow", "status", "state"])
        guard let parts = reply.array, parts.count == 3, let json = parts[2].string, let state = try? JSONValue(parsing: json) else { return nil }
        return RunView(id: id, workflow: parts[0].string ?? state["workflow"]?.stringValue ?? "", status: parts[1].string ?? "", state: state)
    }

    var json: JSONValue {
        .object([
            "run": .string(id), "workflow": .string(workflow), "status": .string(status), "steps": .array(steps),
            "current": current ?? .null, "failure": failure.map(JSONValue.string) ?? .null, "output": output ?? .null,
        ])
    }
}
