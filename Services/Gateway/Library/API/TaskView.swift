import AgentBase
import Foundation

/// A task as the API shows it: the hash's fields, with `result` as JSON and numbers as numbers.
struct TaskView: Encodable {
    let snapshot: TaskSnapshot

    init(_ snapshot: TaskSnapshot) {
        self.snapshot = snapshot
    }

    private var object: [String: JSONValue] {
        var object: [String: JSONValue] = ["task": .string(snapshot.id)]
        for (name, value) in snapshot.fields {
            switch name {
            case "result": object[name] = (try? JSONValue(parsing: value)) ?? .string(value)
            case "attempts", "tokens_in", "tokens_out", "cost_usd": object[name] = Double(value).map(JSONValue.number) ?? .string(value)
            default: object[name] = .string(value)
            }
        }
        return object
    }

    func encode(to encoder: any Encoder) throws {
        try JSONValue.object(object).encode(to: encoder)
    }

    func json() -> String {
        JSONValue.object(object).jsonString
    }
}

extension TaskEvent {
    /// The event as one JSON object (payload embedded as JSON).
    func json() -> String {
        var object: [String: JSONValue] = [
            "id": .string(id), "type": .string(type), "task": .string(task), "agent": .string(agent),
            "payload": (try? JSONValue(parsing: payload)) ?? .string(payload),
        ]
        if let source { object["source"] = .string(source) }
        if let conversation { object["conversation"] = .string(conversation) }
        if let requestType { object["request_type"] = .string(requestType) }
        if let text { object["text"] = .string(text) }
        return JSONValue.object(object).jsonString
    }
}
