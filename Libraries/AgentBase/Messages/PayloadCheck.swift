import Foundation

/// The checks a payload passes before it is published or handled: JSON object, JSON Schema, Swift type, semantic rules.
public enum PayloadCheck {
    /// Parses the payload and checks it against the type's schema, when the library has one.
    public static func schema(type: String, payload: String, schemas: SchemaLibrary?) throws(MessageRejection) {
        let value: JSONValue
        do {
            value = try JSONValue(parsing: payload)
        } catch {
            throw MessageRejection(code: .badMessage, reason: "payload is not valid JSON: \(error)")
        }
        try schema(type: type, value: value, schemas: schemas)
    }

    /// Checks an already parsed payload against the type's schema, when the library has one.
    public static func schema(type: String, value: JSONValue, schemas: SchemaLibrary?) throws(MessageRejection) {
        guard case .object = value else {
            throw MessageRejection(code: .badMessage, reason: "payload must be a JSON object, e.g. {}")
        }
        if let schema = schemas?.schema(named: type) {
            let violations = schema.validate(value)
            if !violations.isEmpty {
                throw MessageRejection(code: .invalidPayload, reason: "payload does not match the \(type) schema: " + violations.map(\.description).joined(separator: "; "))
            }
        }
    }

    /// The one check of a parsed payload in a process that publishes it (the gateway): its JSON Schema when the library
    /// has one (tests keep the schemas and the Swift types' rules in step), else decoding into the catalogue's Swift
    /// type and its `validate()`. The agent's runner checks again, since any Redis client can publish.
    public static func beforePublishing(type: String, value: JSONValue, schemas: SchemaLibrary?) throws(MessageRejection) {
        try schema(type: type, value: value, schemas: schemas)
        guard schemas?.schema(named: type) == nil, let message = MessageCatalogue.request(named: type) else { return }
        func decode<M: AgentMessage>(_: M.Type) throws(MessageRejection) {
            let _: M = try AgentHandlers.decode(value.jsonString)
        }
        try decode(message)
    }
}
