import Foundation

/// A compiled JSON Schema (the 2020-12 subset Switchboard's message schemas use), ready to validate instances.
///
/// Supported keywords: `type` (a name or an array of names), `properties`, `required`, `additionalProperties`,
/// `minProperties`, `maxProperties`, `items`, `prefixItems`, `minItems`, `maxItems`, `uniqueItems`, `enum`, `const`,
/// `minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum`, `multipleOf`, `minLength`, `maxLength`, `pattern`,
/// `allOf`, `anyOf`, `oneOf`, `not`, and `$ref` to JSON pointers within the same document (`#/$defs/name`).
/// `format: "uri"` is asserted (an absolute RFC 3986 URI, see `URIFormat`). Annotations (`title`, `description`,
/// `examples`, `default`, every other `format`, `$comment`, …) are accepted and not asserted. Any other keyword makes `init` throw, so a schema never silently relies on an unsupported assertion.
public struct JSONSchema: Sendable {
    /// The schema document as parsed.
    public let json: JSONValue
    /// The document's `$id`, if any.
    public let id: String?
    /// The document's `title`, if any.
    public let title: String?
    /// The document's `description`, if any.
    public let description: String?
    /// The document's `examples` (instances that must validate).
    public let examples: [JSONValue]

    let root: SchemaNode
    let references: [String: SchemaNode]

    /// Parses and compiles a schema document.
    public init(data: Data) throws {
        let json: JSONValue
        do {
            json = try JSONValue(parsing: data)
        } catch {
            throw JSONSchemaError.invalidJSON(String(describing: error))
        }
        try self.init(json: json)
    }

    /// Compiles a parsed schema document.
    public init(json: JSONValue) throws {
        var compiler = SchemaCompiler(document: json)
        root = try compiler.compileDocument()
        references = compiler.references
        self.json = json
        id = json["$id"]?.stringValue
        title = json["title"]?.stringValue
        description = json["description"]?.stringValue
        examples = json["examples"]?.arrayValue ?? []
    }

    /// Reads, parses and compiles the schema file at `url`.
    public init(contentsOf url: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw JSONSchemaError.unreadable(file: url.path, reason: error.localizedDescription)
        }
        do {
            try self.init(data: data)
        } catch let error as JSONSchemaError {
            throw JSONSchemaError.inFile(url.lastPathComponent, error)
        }
    }
}

/// Why a schema document could not be loaded or compiled.
public indirect enum JSONSchemaError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The text is not JSON.
    case invalidJSON(String)
    /// A keyword has a value of the wrong shape; `location` is a JSON pointer into the schema.
    case invalidKeyword(location: String, keyword: String, reason: String)
    /// A keyword the validator does not implement.
    case unsupportedKeyword(location: String, keyword: String)
    /// A `$ref` that does not point into the same document, or points nowhere.
    case unresolvableReference(location: String, reference: String)
    /// A file could not be read.
    case unreadable(file: String, reason: String)
    /// No schema of that name in a `SchemaLibrary`.
    case unknownSchema(String)
    /// An error in a particular file.
    case inFile(String, JSONSchemaError)

    public var description: String {
        switch self {
        case .invalidJSON(let reason):
            return "not valid JSON: \(reason)"
        case .invalidKeyword(let location, let keyword, let reason):
            return "\(location.isEmpty ? "(root)" : location): \"\(keyword)\" \(reason)"
        case .unsupportedKeyword(let location, let keyword):
            return "\(location.isEmpty ? "(root)" : location): unsupported keyword \"\(keyword)\""
        case .unresolvableReference(let location, let reference):
            return "\(location.isEmpty ? "(root)" : location): cannot resolve $ref \"\(reference)\" (only \"#/...\" pointers into the same document are supported)"
        case .unreadable(let file, let reason):
            return "cannot read \(file): \(reason)"
        case .unknownSchema(let name):
            return "no schema named \"\(name)\""
        case .inFile(let file, let error):
            return "\(file): \(error)"
        }
    }
}

// MARK: - Compiled form

/// A compiled subschema: `true`, `false`, or an object of keywords.
indirect enum SchemaNode: Sendable {
    case always
    case never
    case keywords(SchemaKeywords)
}

/// The primitive types of the `type` keyword.
enum JSONType: String, Sendable, CaseIterable {
    case null, boolean, object, array, number, integer, string
}

/// The assertion keywords of one subschema.
struct SchemaKeywords: Sendable {
    var location = ""
    var title: String?
    var types: [JSONType]?
    var properties: [String: SchemaNode] = [:]
    var required: [String] = []
    var additionalProperties: SchemaNode?
    var minProperties: Int?
    var maxProperties: Int?
    var prefixItems: [SchemaNode] = []
    var items: SchemaNode?
    var minItems: Int?
    var maxItems: Int?
    var uniqueItems = false
    var enumValues: [JSONValue]?
    var constValue: JSONValue?
    var minimum: Double?
    var maximum: Double?
    var exclusiveMinimum: Double?
    var exclusiveMaximum: Double?
    var multipleOf: Double?
    var minLength: Int?
    var maxLength: Int?
    var pattern: NSRegularExpression?
    /// `format: "uri"`, the one asserted format.
    var uri = false
    var allOf: [SchemaNode] = []
    var anyOf: [SchemaNode]?
    var oneOf: [SchemaNode]?
    var not: SchemaNode?
    var ref: String?
}

/// Turns a schema document into `SchemaNode`s, resolving every `$ref` up front.
struct SchemaCompiler {
    let document: JSONValue
    var references: [String: SchemaNode] = [:]
    private var pending: [(reference: String, location: String)] = []

    static let annotations: Set<String> = [
        "$schema", "$id", "$comment", "$defs", "definitions", "$vocabulary", "title", "description", "examples",
        "default", "deprecated", "readOnly", "writeOnly", "format", "contentMediaType", "contentEncoding",
    ]

    init(document: JSONValue) {
        self.document = document
    }

    mutating func compileDocument() throws -> SchemaNode {
        let root = try compile(document, at: "")
        // Compile every definition, referenced or not, so mistakes in any of them surface now.
        if case .object(let definitions)? = document["$defs"] {
            for name in definitions.keys.sorted() {
                let reference = "#/$defs/" + Self.escape(name)
                if references[reference] == nil {
                    references[reference] = try compile(definitions[name]!, at: "/$defs/" + Self.escape(name))
                }
            }
        } else if let defs = document["$defs"] {
            throw JSONSchemaError.invalidKeyword(location: "", keyword: "$defs", reason: "must be an object, not \(defs)")
        }
        while let (reference, location) = pending.popLast() {
            guard references[reference] == nil else { continue }
            guard let target = Self.resolve(reference, in: document) else {
                throw JSONSchemaError.unresolvableReference(location: location, reference: reference)
            }
            references[reference] = try compile(target, at: String(reference.dropFirst()))
        }
        return root
    }

    private mutating func compile(_ schema: JSONValue, at location: String) throws -> SchemaNode {
        switch schema {
        case .bool(true): return .always
        case .bool(false): return .never
        case .object(let members): return .keywords(try compileKeywords(members, at: location))
        default:
            throw JSONSchemaError.invalidKeyword(location: location, keyword: "schema", reason: "must be an object or a boolean, not \(schema)")
        }
    }

    private mutating func compileKeywords(_ members: [String: JSONValue], at location: String) throws -> SchemaKeywords {
        var keywords = SchemaKeywords()
        keywords.location = location
        keywords.title = members["title"]?.stringValue

        func invalid(_ keyword: String, _ reason: String) -> JSONSchemaError {
            .invalidKeyword(location: location, keyword: keyword, reason: reason)
        }
        func count(_ keyword: String, _ value: JSONValue) throws -> Int {
            guard let number = value.intValue, number >= 0 else { throw invalid(keyword, "must be a non-negative integer") }
            return number
        }
        func number(_ keyword: String, _ value: JSONValue) throws -> Double {
            guard let number = value.doubleValue else { throw invalid(keyword, "must be a number") }
            return number
        }
        func schemaArray(_ keyword: String, _ value: JSONValue) throws -> [SchemaNode] {
            guard let elements = value.arrayValue, !elements.isEmpty else { throw invalid(keyword, "must be a non-empty array of schemas") }
            return try elements.enumerated().map { index, element in
                try compile(element, at: "\(location)/\(keyword)/\(index)")
            }
        }

        for key in members.keys.sorted() {
            let value = members[key]!
            switch key {
            case "format" where value.stringValue == "uri":
                keywords.uri = true
            case _ where Self.annotations.contains(key):
                continue
            case "type":
                let names: [JSONValue] = value.arrayValue ?? [value]
                let types = try names.map { name -> JSONType in
                    guard let text = name.stringValue, let type = JSONType(rawValue: text) else {
                        throw invalid(key, "must name JSON types (null, boolean, object, array, number, integer, string), not \(name)")
                    }
                    return type
                }
                guard !types.isEmpty else { throw invalid(key, "must name at least one type") }
                keywords.types = types
            case "properties":
                guard case .object(let properties) = value else { throw invalid(key, "must be an object of schemas") }
                for (name, property) in properties {
                    keywords.properties[name] = try compile(property, at: "\(location)/properties/\(Self.escape(name))")
                }
            case "required":
                guard let names = value.arrayValue?.compactMap(\.stringValue), names.count == value.arrayValue?.count else {
                    throw invalid(key, "must be an array of property names")
                }
                keywords.required = names
            case "additionalProperties":
                keywords.additionalProperties = try compile(value, at: "\(location)/additionalProperties")
            case "minProperties": keywords.minProperties = try count(key, value)
            case "maxProperties": keywords.maxProperties = try count(key, value)
            case "prefixItems": keywords.prefixItems = try schemaArray(key, value)
            case "items": keywords.items = try compile(value, at: "\(location)/items")
            case "minItems": keywords.minItems = try count(key, value)
            case "maxItems": keywords.maxItems = try count(key, value)
            case "uniqueItems":
                guard let flag = value.boolValue else { throw invalid(key, "must be a boolean") }
                keywords.uniqueItems = flag
            case "enum":
                guard let values = value.arrayValue, !values.isEmpty else { throw invalid(key, "must be a non-empty array") }
                keywords.enumValues = values
            case "const": keywords.constValue = value
            case "minimum": keywords.minimum = try number(key, value)
            case "maximum": keywords.maximum = try number(key, value)
            case "exclusiveMinimum": keywords.exclusiveMinimum = try number(key, value)
            case "exclusiveMaximum": keywords.exclusiveMaximum = try number(key, value)
            case "multipleOf":
                let divisor = try number(key, value)
                guard divisor > 0 else { throw invalid(key, "must be greater than 0") }
                keywords.multipleOf = divisor
            case "minLength": keywords.minLength = try count(key, value)
            case "maxLength": keywords.maxLength = try count(key, value)
            case "pattern":
                guard let source = value.stringValue else { throw invalid(key, "must be a string") }
                do {
                    keywords.pattern = try NSRegularExpression(pattern: source)
                } catch {
                    throw invalid(key, "is not a valid regular expression: \(source)")
                }
            case "allOf": keywords.allOf = try schemaArray(key, value)
            case "anyOf": keywords.anyOf = try schemaArray(key, value)
            case "oneOf": keywords.oneOf = try schemaArray(key, value)
            case "not": keywords.not = try compile(value, at: "\(location)/not")
            case "$ref":
                guard let reference = value.stringValue else { throw invalid(key, "must be a string") }
                guard reference.hasPrefix("#"), Self.resolve(reference, in: document) != nil else {
                    throw JSONSchemaError.unresolvableReference(location: location, reference: reference)
                }
                keywords.ref = reference
                pending.append((reference, location))
            default:
                throw JSONSchemaError.unsupportedKeyword(location: location, keyword: key)
            }
        }
        return keywords
    }

    /// Resolves a same-document reference (`#` or `#/json/pointer`, percent-encoding allowed).
    static func resolve(_ reference: String, in document: JSONValue) -> JSONValue? {
        guard reference.hasPrefix("#") else { return nil }
        let pointer = String(reference.dropFirst()).removingPercentEncoding ?? String(reference.dropFirst())
        if pointer.isEmpty { return document }
        guard pointer.hasPrefix("/") else { return nil }
        var current = document
        for rawToken in pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            let token = rawToken.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            switch current {
            case .object(let members):
                guard let next = members[token] else { return nil }
                current = next
            case .array(let elements):
                guard let index = Int(token), elements.indices.contains(index) else { return nil }
                current = elements[index]
            default:
                return nil
            }
        }
        return current
    }

    /// Escapes one JSON pointer token (`~` → `~0`, `/` → `~1`).
    static func escape(_ token: String) -> String {
        // Almost every property name has neither character: skip Foundation's search (a log line's worth of CPU per member).
        guard token.utf8.contains(where: { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") }) else { return token }
        return token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }
}
