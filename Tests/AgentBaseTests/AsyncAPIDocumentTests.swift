import AgentBase
import Foundation
import SwitchboardTesting
import Testing

/// The AsyncAPI 3.0 document of the streams, built from the shipped registry and schemas: it names every agent's
/// inbox with the types it consumes, every schema, every event, and every `$ref` in it resolves.
struct AsyncAPIDocumentTests {
    static func document() throws -> JSONValue {
        AsyncAPIDocument(registry: try AgentRegistry.load(path: RepositoryPaths.registry.path), schemas: try SchemaLibrary(directory: RepositoryPaths.schemas)).json
    }

    /// The value a local JSON Pointer (`#/a/b`) names in `document`, nil when it names nothing.
    static func resolve(_ pointer: String, in document: JSONValue) -> JSONValue? {
        guard pointer.hasPrefix("#/") else { return nil }
        var value: JSONValue? = document
        for token in pointer.dropFirst(2).split(separator: "/", omittingEmptySubsequences: false) {
            let key = token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            if let array = value?.arrayValue, let index = Int(key) { value = array.indices.contains(index) ? array[index] : nil } else { value = value?[key] }
        }
        return value
    }

    /// Every `$ref` in `value`.
    static func references(in value: JSONValue) -> [String] {
        switch value {
        case .object(let object): return (object["$ref"]?.stringValue.map { [$0] } ?? []) + object.values.flatMap(references)
        case .array(let items): return items.flatMap(references)
        default: return []
        }
    }

    @Test("every $ref resolves; the document says asyncapi 3.0.0 and every operation's channel and messages exist")
    func references() throws {
        let document = try Self.document()
        #expect(document["asyncapi"]?.stringValue == "3.0.0")
        let references = Self.references(in: document)
        #expect(references.count > 100)
        let broken = references.filter { Self.resolve($0, in: document) == nil }
        #expect(broken.isEmpty, "unresolved: \(broken.prefix(10))")
        for (name, operation) in document["operations"]?.objectValue ?? [:] {
            #expect(["send", "receive"].contains(operation["action"]?.stringValue ?? ""), "\(name)")
            #expect(operation["channel"]?["$ref"]?.stringValue?.hasPrefix("#/channels/") == true, "\(name)")
        }
    }

    @Test("it matches the registry: each agent's inbox at its address carries exactly the types it consumes, each with its schema; every schema is a component")
    func matchesTheRegistry() throws {
        let document = try Self.document()
        let registry = try AgentRegistry.load(path: RepositoryPaths.registry.path)
        let library = try SchemaLibrary(directory: RepositoryPaths.schemas)
        for agent in registry.agents {
            let channel = try #require(document["channels"]?["inbox.\(agent.name)"])
            #expect(channel["address"]?.stringValue == "sb:in:\(agent.name)")
            #expect(Set(channel["messages"]?.objectValue?.keys.map { $0 } ?? []) == Set(agent.consumes))
            for type in agent.consumes {
                let payload = document["components"]?["messages"]?[type]?["payload"]?["properties"]?["payload"]
                #expect(payload?["contentSchema"]?["$ref"]?.stringValue == "#/components/schemas/\(type)", "\(type)")
            }
            #expect(document["channels"]?["deadLetters.\(agent.name)"]?["address"]?.stringValue == "sb:dlq:\(agent.name)")
        }
        #expect(Set(document["components"]?["schemas"]?.objectValue?.keys.map { $0 } ?? []) == Set(library.names))
        #expect(Set(document["channels"]?["events"]?["messages"]?.objectValue?.keys.map { $0 } ?? []) == ["task.queued", "task.started", "task.progress", "task.completed", "task.failed", "task.cancelled"])
        // Embedded schemas carry no $schema or $id of their own, and their local references point into the document.
        let embedded = try #require(document["components"]?["schemas"]?.objectValue)
        #expect(embedded.values.allSatisfy { $0["$schema"] == nil && $0["$id"] == nil })
    }

    @Test("an example request of the document is an entry the broker takes: its payload text validates against the type's schema")
    func examples() throws {
        let document = try Self.document()
        let library = try SchemaLibrary(directory: RepositoryPaths.schemas)
        let example = try #require(document["components"]?["messages"]?["pr.review"]?["examples"]?[0]?["payload"])
        #expect(example["type"]?.stringValue == "pr.review")
        let payload = try JSONValue(parsing: Data(try #require(example["payload"]?.stringValue).utf8))
        #expect(try library.validate(payload, against: "pr.review").isEmpty)
    }
}
