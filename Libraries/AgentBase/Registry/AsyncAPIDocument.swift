import Foundation

/// The AsyncAPI 3.0 document of the streams, built from the registry and the message schemas (`Registry/schemas/`):
/// each agent's inbox with the types it consumes, the event stream, reply streams and dead-letter streams, every entry
/// described field by field (entries are flat strings; `payload` holds JSON of the type's schema). Served by the
/// gateway at `/asyncapi.json`, so that a client in any language can see what to publish and what comes back.
public struct AsyncAPIDocument: Sendable {
    public let registry: AgentRegistry
    public let schemas: SchemaLibrary
    public let keys: KeySpace

    public init(registry: AgentRegistry, schemas: SchemaLibrary, keys: KeySpace = KeySpace()) {
        self.registry = registry
        self.schemas = schemas
        self.keys = keys
    }

    /// The lifecycle events on `sb:events` (and reply streams), with the schema their `payload` follows.
    static let events: [(type: String, description: String)] = [
        ("task.queued", "The request was taken into a stream and recorded."),
        ("task.started", "An agent began an attempt: payload {attempt, instance}."),
        ("task.progress", "A step of the work: payload per the task.progress schema."),
        ("task.completed", "The result: payload per the request type's result schema (request_type names it); text is the result in words."),
        ("task.failed", "The task failed for good: payload per the task.failed schema."),
        ("task.cancelled", "The task was cancelled: payload {reason}."),
    ]

    /// The document as JSON.
    public var json: JSONValue {
        var channels: [String: JSONValue] = [:]
        var operations: [String: JSONValue] = [:]
        var messages: [String: JSONValue] = [:]
        var components: [String: JSONValue] = [:]
        for name in schemas.names {
            guard let schema = schemas[name] else { continue }
            components[name] = Self.embedded(schema.json, as: name)
        }
        for agent in registry.agents {
            let channel = "inbox.\(agent.name)"
            var channelMessages: [String: JSONValue] = [:]
            for type in agent.consumes {
                messages[type] = request(type)
                channelMessages[type] = ["$ref": .string("#/components/messages/\(Self.escaped(type))")]
            }
            channels[channel] = [
                "address": .string(keys.stream(relative: agent.stream)),
                "title": .string("\(agent.name) requests"),
                "description": .string("Requests for \(agent.name) (\(agent.description)) Consumer group: \(agent.name); at most \(agent.concurrency) at a time per replica, \(agent.maxAttempts) attempts."),
                "messages": .object(channelMessages),
            ]
            operations["\(agent.name).receive"] = [
                "action": "receive", "channel": ["$ref": .string("#/channels/\(Self.escaped(channel))")],
                "summary": .string("\(agent.name) takes its requests from its consumer group."),
                "messages": .array(agent.consumes.map { .object(["$ref": .string("#/channels/\(Self.escaped(channel))/messages/\(Self.escaped($0))")]) }),
            ]
            let dead = "deadLetters.\(agent.name)"
            channels[dead] = [
                "address": .string(keys.deadLetters(agent.name)), "title": .string("\(agent.name) dead letters"),
                "description": "Requests that could not be run, with why.", "messages": ["deadLetter": ["$ref": "#/components/messages/deadLetter"]],
            ]
            operations["\(agent.name).deadLetter"] = [
                "action": "send", "channel": ["$ref": .string("#/channels/\(Self.escaped(dead))")],
                "messages": [["$ref": .string("#/channels/\(Self.escaped(dead))/messages/deadLetter")]],
            ]
        }
        var eventMessages: [String: JSONValue] = [:]
        for event in Self.events {
            messages[event.type] = self.event(event.type, description: event.description)
            eventMessages[event.type] = ["$ref": .string("#/components/messages/\(Self.escaped(event.type))")]
        }
        messages["deadLetter"] = deadLetter
        channels["events"] = [
            "address": .string(keys.events), "title": "Task events", "description": "Every task's lifecycle, trimmed to SB_EVENTS_MAXLEN.",
            "messages": .object(eventMessages),
        ]
        channels["replies"] = [
            "address": .string(keys.reply("{name}")), "title": "Reply streams",
            "description": "A client's own copy of its tasks' events: the stream a request's reply_to names (only keys under this prefix are written).",
            "parameters": ["name": ["description": "The client's name for its reply stream."]],
            "messages": .object(eventMessages),
        ]
        for channel in ["events", "replies"] {
            operations["\(channel).send"] = [
                "action": "send", "channel": ["$ref": .string("#/channels/\(channel)")],
                "messages": .array(Self.events.map { .object(["$ref": .string("#/channels/\(channel)/messages/\(Self.escaped($0.type))")]) }),
            ]
        }
        return [
            "asyncapi": "3.0.0",
            "info": [
                "title": "Switchboard streams", "version": "1.0.0",
                "description": "Typed messages on Redis Streams: publish a request to an agent's inbox with XADD (fields as below, payload as JSON text), follow its task on the event stream or a reply stream. Generated from Registry/agents.yaml and Registry/schemas/.",
            ],
            "defaultContentType": "application/json",
            "servers": ["redis": ["host": "localhost:6379", "protocol": "redis", "description": "The Redis of REDIS_URL; keys under SB_PREFIX (here shown with the default)."]],
            "channels": .object(channels),
            "operations": .object(operations),
            "components": ["messages": .object(messages), "schemas": .object(components)],
        ]
    }

    /// A request entry of `type`: the envelope's fields, `payload` the JSON text of the type's schema.
    private func request(_ type: String) -> JSONValue {
        let schema = schemas.request(type)
        var payload: JSONValue = ["type": "string", "description": .string("JSON text of a \(type) payload (components.schemas.\(type)).")]
        if schema != nil {
            payload = ["type": "string", "contentMediaType": "application/json", "contentSchema": ["$ref": .string("#/components/schemas/\(Self.escaped(type))")],
                       "description": .string("JSON text of a \(type) payload (components.schemas.\(type)).")]
        }
        var message: [String: JSONValue] = [
            "name": .string(type), "title": .string(schema?.title ?? type), "payload": [
                "type": "object", "required": ["type", "payload"],
                "properties": [
                    "type": ["type": "string", "const": .string(type)],
                    "payload": payload,
                    "task": ["type": "string", "description": "Task id; the entry id when absent."],
                    "reply_to": ["type": "string", "description": .string("A stream under \(keys.replyPrefix) that gets the task's events too.")],
                    "source": ["type": "string", "description": "Where it came from (telegram:<chat>, api:<name>, …)."],
                    "conversation": ["type": "string", "description": "Conversation or thread key for context."],
                    "idempotency_key": ["type": "string", "description": "The work is done once per key and agent."],
                    "traceparent": ["type": "string", "description": "W3C trace context."],
                ],
            ],
        ]
        if let description = schema?.description { message["summary"] = .string(description) }
        if let examples = schema?.examples, !examples.isEmpty {
            message["examples"] = .array(examples.prefix(3).map { ["payload": ["type": .string(type), "payload": .string($0.jsonString)]] })
        }
        return .object(message)
    }

    /// An event entry of `type`.
    private func event(_ type: String, description: String) -> JSONValue {
        var payload: JSONValue = ["type": "string", "contentMediaType": "application/json"]
        if schemas[type] != nil {
            payload = ["type": "string", "contentMediaType": "application/json", "contentSchema": ["$ref": .string("#/components/schemas/\(Self.escaped(type))")]]
        } else if type == "task.completed" {
            let results = schemas.names.filter { $0.hasSuffix(".result") }.map { JSONValue.object(["$ref": .string("#/components/schemas/\(Self.escaped($0))")]) }
            payload = ["type": "string", "contentMediaType": "application/json", "contentSchema": ["oneOf": .array(results)]]
        }
        return [
            "name": .string(type), "summary": .string(description),
            "payload": [
                "type": "object", "required": ["type", "task", "agent", "payload"],
                "properties": [
                    "type": ["type": "string", "const": .string(type)], "task": ["type": "string"], "agent": ["type": "string"], "payload": payload,
                    "request_type": ["type": "string", "description": "The type of the request the task runs."],
                    "text": ["type": "string", "description": "task.completed: the result in words for people."],
                    "source": ["type": "string"], "conversation": ["type": "string"],
                ],
            ],
        ]
    }

    /// A dead letter: the request's fields and why it could not run.
    private var deadLetter: JSONValue {
        [
            "name": "deadLetter", "summary": "A request that could not be run: its own fields, and entry, stream, agent, attempts, error, reason, failed_at.",
            "payload": [
                "type": "object", "required": ["entry", "stream", "agent", "reason"],
                "properties": [
                    "type": ["type": "string"], "payload": ["type": "string"], "task": ["type": "string"],
                    "entry": ["type": "string", "description": "The request's entry id in its stream."],
                    "stream": ["type": "string"], "agent": ["type": "string"],
                    "attempts": ["type": "string", "description": "Attempts made (a number as text)."],
                    "error": ["type": "string", "description": "bad_message, unknown_type, invalid_payload, or the handler's error code."],
                    "reason": ["type": "string", "description": "Why, in words."],
                    "failed_at": ["type": "string", "description": "When (ISO 8601)."],
                ],
            ],
        ]
    }

    /// A schema of the library as a component: without `$schema` and `$id`, its own `#/$defs/…` references pointed at
    /// where it now sits in the document.
    static func embedded(_ schema: JSONValue, as name: String) -> JSONValue {
        func rewrite(_ value: JSONValue) -> JSONValue {
            switch value {
            case .object(var object):
                object["$schema"] = nil
                object["$id"] = nil
                if let reference = object["$ref"]?.stringValue, reference.hasPrefix("#/") {
                    object["$ref"] = .string("#/components/schemas/\(escaped(name))/" + reference.dropFirst(2))
                }
                return .object(object.mapValues(rewrite))
            case .array(let items):
                return .array(items.map(rewrite))
            default:
                return value
            }
        }
        return rewrite(schema)
    }

    /// A name as one JSON Pointer token (`~` and `/` escaped).
    static func escaped(_ name: String) -> String {
        name.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }
}
