import Foundation

/// A decoded request bound to its handler, ready to run; returns the result as JSON text and, for a
/// `ReadableResult`, in words.
typealias PreparedJob = @Sendable (TaskContext) async throws -> HandlerOutput

/// What a handler returned, ready to record.
struct HandlerOutput: Sendable {
    /// The result as JSON text (the `task.completed` payload).
    var json: String
    /// The result in words for people (the event's `text`), when the result type says itself.
    var text: String?
}

/// The typed handlers of one agent by message type; payloads are checked before a task starts.
public struct AgentHandlers: Sendable {
    private var entries: [String: @Sendable (String) throws -> PreparedJob] = [:]
    /// JSON Schemas checked before decoding, by message type (`Registry/schemas`).
    public var schemas: SchemaLibrary?

    public init(schemas: SchemaLibrary? = nil) {
        self.schemas = schemas
    }

    public var types: [String] { entries.keys.sorted() }

    /// Registers the handler for a message type; its result becomes the `task.completed` payload.
    public mutating func on<M: AgentMessage>(_ message: M.Type, handler: @escaping @Sendable (M, TaskContext) async throws -> M.Result) {
        entries[M.type] = { payload in
            let request: M = try AgentHandlers.decode(payload)
            return { context in
                let result = try await handler(request, context)
                return HandlerOutput(json: try JSONCoding.string(result), text: (result as? any ReadableResult)?.text)
            }
        }
    }

    /// Checks the payload (JSON, schema, Swift type, semantic rules) and binds it to its handler.
    func prepare(_ envelope: Envelope, agent: String) throws(MessageRejection) -> PreparedJob {
        guard let prepare = entries[envelope.type] else {
            throw MessageRejection(code: .unknownType, reason: "agent '\(agent)' does not handle message type '\(envelope.type)' (it handles: \(types.joined(separator: ", ")))")
        }
        if schemas != nil { try PayloadCheck.schema(type: envelope.type, payload: envelope.payload, schemas: schemas) }
        do {
            return try prepare(envelope.payload)
        } catch let rejection as MessageRejection {
            throw rejection
        } catch {
            throw MessageRejection(code: .invalidPayload, reason: "\(envelope.type): \(error)")
        }
    }

    static func decode<M: AgentMessage>(_ payload: String) throws(MessageRejection) -> M {
        let request: M
        do {
            request = try JSONCoding.decoder.decode(M.self, from: Data(payload.utf8))
        } catch let error as DecodingError {
            throw MessageRejection(code: error.isSyntax ? .badMessage : .invalidPayload, reason: error.readable(for: M.type))
        } catch {
            throw MessageRejection(code: .invalidPayload, reason: "\(M.type): \(error)")
        }
        do {
            try request.validate()
        } catch {
            throw MessageRejection(code: .invalidPayload, reason: error.description)
        }
        return request
    }
}

extension DecodingError {
    var isSyntax: Bool {
        if case .dataCorrupted(let context) = self { return context.codingPath.isEmpty }
        return false
    }

    /// "pr.review: /number: expected Int" rather than Foundation's debug text.
    func readable(for type: String) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            "/" + keys.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: "/")
        }
        switch self {
        case .keyNotFound(let key, let context):
            return "\(type): missing required field '\(key.stringValue)' at \(path(context.codingPath))"
        case .typeMismatch(let expected, let context):
            return "\(type): \(path(context.codingPath)): expected \(expected)"
        case .valueNotFound(let expected, let context):
            return "\(type): \(path(context.codingPath)): expected \(expected), got null"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return "payload is not valid JSON: \(context.debugDescription)" }
            return "\(type): \(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "\(type): \(self)"
        }
    }
}
