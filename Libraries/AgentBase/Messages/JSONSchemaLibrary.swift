import Foundation

/// The JSON Schemas of a directory, by file stem: `pr.review.json` is `pr.review`, `pr.review.result.json` is `pr.review.result`.
public struct SchemaLibrary: Sendable {
    /// The schemas by name.
    public let schemas: [String: JSONSchema]

    /// A library of already compiled schemas.
    public init(schemas: [String: JSONSchema]) {
        self.schemas = schemas
    }

    /// Loads and compiles every `*.json` file in `directory` (not recursive); throws on the first bad file.
    public init(directory: URL) throws {
        let files: [URL]
        do {
            files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
        } catch {
            throw JSONSchemaError.unreadable(file: directory.path, reason: error.localizedDescription)
        }
        var schemas: [String: JSONSchema] = [:]
        for file in files.sorted(by: { $0.lastPathComponent < $1.lastPathComponent }) where file.pathExtension == "json" {
            schemas[file.deletingPathExtension().lastPathComponent] = try JSONSchema(contentsOf: file)
        }
        self.schemas = schemas
    }

    /// Every schema name, sorted.
    public var names: [String] {
        schemas.keys.sorted()
    }

    /// The schema with the given name, e.g. `pr.review` or `pr.review.result`.
    public subscript(name: String) -> JSONSchema? {
        schemas[name]
    }

    /// The schema with the given name, e.g. `pr.review` or `pr.review.result`.
    public func schema(named name: String) -> JSONSchema? {
        schemas[name]
    }

    /// The schema of a request type's payload (`<type>`).
    public func request(_ type: String) -> JSONSchema? {
        schemas[type]
    }

    /// The schema of a request type's result (`<type>.result`).
    public func result(_ type: String) -> JSONSchema? {
        schemas[type + ".result"]
    }

    /// Validates `instance` against the named schema; throws `JSONSchemaError.unknownSchema` when there is none.
    public func validate(_ instance: JSONValue, against name: String) throws -> [SchemaViolation] {
        guard let schema = schemas[name] else { throw JSONSchemaError.unknownSchema(name) }
        return schema.validate(instance)
    }
}
