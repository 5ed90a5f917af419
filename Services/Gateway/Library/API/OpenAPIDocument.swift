import AgentBase
import Foundation

/// The OpenAPI 3.1 document of the REST API (`Services/Gateway/Library/openapi.json`, a resource of this module), served
/// at `/openapi.json` with the payload schema of every message type the registry routes added as a `oneOf` of
/// `MessageRequest` (from `Registry/schemas/<type>.json`, so the document always matches the installed registry) and
/// the deployment's reply stream prefix.
public enum OpenAPIDocument {
    public static let data: [UInt8] = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json"), let data = try? Data(contentsOf: url) else {
            return Array(#"{"error":"openapi.json missing from the gateway's resources"}"#.utf8)
        }
        return Array(data)
    }()

    /// The document with one `MessageRequest` alternative per consumed type that has a request schema: `type` that
    /// type (`const`) and `payload` its schema, kept as `components.schemas["payload.<type>"]`; `reply_to` gets the
    /// pattern of this deployment's reply streams (`<SB_PREFIX>:reply:…`).
    public static func served(registry: AgentRegistry, schemas: SchemaLibrary?, keys: KeySpace) -> [UInt8] {
        guard case .object(var document)? = try? JSONValue(parsing: Data(data)), case .object(var components)? = document["components"],
              case .object(var definitions)? = components["schemas"], case .object(var request)? = definitions["MessageRequest"],
              case .object(var properties)? = request["properties"], case .object(var replyTo)? = properties["reply_to"] else { return data }
        replyTo["pattern"] = .string("^" + NSRegularExpression.escapedPattern(for: keys.replyPrefix) + ".")
        properties["reply_to"] = .object(replyTo)
        request["properties"] = .object(properties)
        var alternatives: [JSONValue] = []
        for type in Set(registry.agents.flatMap(\.consumes)).sorted() {
            guard let schema = schemas?.request(type) else { continue }
            let name = "payload.\(type)"
            definitions[name] = embedded(schema.json, at: "#/components/schemas/\(name)")
            alternatives.append(["properties": ["type": ["const": .string(type)], "payload": ["$ref": .string("#/components/schemas/\(name)")]]])
        }
        if !alternatives.isEmpty { request["oneOf"] = .array(alternatives) }
        definitions["MessageRequest"] = .object(request)
        components["schemas"] = .object(definitions)
        document["components"] = .object(components)
        return Array(JSONValue.object(document).jsonString.utf8)
    }

    /// A registry schema as a part of this document: without `$schema` and `$id`, its own `#/…` references pointed at `base`.
    static func embedded(_ schema: JSONValue, at base: String) -> JSONValue {
        switch schema {
        case .object(var object):
            object["$schema"] = nil
            object["$id"] = nil
            return .object(object.mapValues { rebased($0, base: base) })
        default:
            return schema
        }
    }

    private static func rebased(_ value: JSONValue, base: String) -> JSONValue {
        switch value {
        case .object(let object):
            return .object(object.reduce(into: [:]) { result, field in
                if field.key == "$ref", case .string(let target) = field.value, target.hasPrefix("#/") {
                    result[field.key] = .string(base + target.dropFirst())
                } else {
                    result[field.key] = rebased(field.value, base: base)
                }
            })
        case .array(let items):
            return .array(items.map { rebased($0, base: base) })
        default:
            return value
        }
    }
}
