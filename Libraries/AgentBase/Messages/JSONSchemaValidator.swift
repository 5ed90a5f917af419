import Foundation

/// One way an instance fails its schema: where (a JSON pointer into the instance) and what, in words.
public struct SchemaViolation: Sendable, Hashable, CustomStringConvertible {
    /// JSON pointer to the offending value, e.g. `/findings/0/line`; empty for the whole instance.
    public var path: String
    /// What is wrong, e.g. `expected integer, got string`.
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    /// `path: message`, with `(root)` for the whole instance.
    public var description: String {
        "\(path.isEmpty ? "(root)" : path): \(message)"
    }
}

extension JSONSchema {
    /// Every violation of this schema by `instance`; empty when it is valid.
    public func validate(_ instance: JSONValue) -> [SchemaViolation] {
        JSONSchemaValidator(references: references).validate(instance, against: root, at: "", depth: 0)
    }

    /// Parses JSON text and validates it; text that is not JSON gives one violation at the root.
    public func validate(data: Data) -> [SchemaViolation] {
        do {
            return validate(try JSONValue(parsing: data))
        } catch {
            return [SchemaViolation(path: "", message: "not valid JSON")]
        }
    }

    /// Whether `instance` satisfies this schema.
    public func isValid(_ instance: JSONValue) -> Bool {
        validate(instance).isEmpty
    }
}

/// Evaluates compiled schema nodes against instances.
struct JSONSchemaValidator {
    let references: [String: SchemaNode]

    /// Deep enough for any real message; stops `$ref` cycles that never consume the instance.
    static let maximumDepth = 128

    func validate(_ instance: JSONValue, against node: SchemaNode, at path: String, depth: Int) -> [SchemaViolation] {
        switch node {
        case .always:
            return []
        case .never:
            return [SchemaViolation(path: path, message: "no value is allowed here")]
        case .keywords(let keywords):
            guard depth < Self.maximumDepth else {
                return [SchemaViolation(path: path, message: "schema nests too deeply (a $ref cycle?)")]
            }
            return validate(instance, against: keywords, at: path, depth: depth + 1)
        }
    }

    private func validate(_ instance: JSONValue, against schema: SchemaKeywords, at path: String, depth: Int) -> [SchemaViolation] {
        var violations: [SchemaViolation] = []
        func fail(_ message: String, at location: String? = nil) {
            violations.append(SchemaViolation(path: location ?? path, message: message))
        }

        if let reference = schema.ref {
            if let target = references[reference] {
                violations += validate(instance, against: target, at: path, depth: depth)
            } else {
                fail("schema error: unresolved $ref \(reference)")
            }
        }

        if let types = schema.types, !types.contains(where: { Self.instance(instance, hasType: $0) }) {
            let expected = Self.list(types.map(\.rawValue), conjunction: "or")
            fail("expected \(expected), got \(Self.typeName(of: instance))")
            // Every other keyword would only repeat the same complaint in other words.
            return violations
        }

        if let constValue = schema.constValue, instance != constValue {
            fail("must be \(Self.show(constValue)), got \(Self.show(instance))")
        }
        if let values = schema.enumValues, !values.contains(instance) {
            fail("must be one of \(Self.list(values.map(Self.show), conjunction: "or")), got \(Self.show(instance))")
        }

        switch instance {
        case .number(let number):
            validateNumber(number, schema, fail)
        case .string(let text):
            validateString(text, schema, fail)
        case .array(let elements):
            let nested = validateArray(elements, schema, at: path, depth: depth, fail)
            violations += nested
        case .object(let members):
            let nested = validateObject(members, schema, at: path, depth: depth, fail)
            violations += nested
        case .null, .bool:
            break
        }

        for subschema in schema.allOf {
            violations += validate(instance, against: subschema, at: path, depth: depth)
        }
        if let alternatives = schema.anyOf {
            let outcomes = alternatives.map { validate(instance, against: $0, at: path, depth: depth) }
            if !outcomes.contains(where: \.isEmpty) {
                fail("does not match any allowed form: " + Self.explain(alternatives, outcomes, relativeTo: path))
            }
        }
        if let alternatives = schema.oneOf {
            let outcomes = alternatives.map { validate(instance, against: $0, at: path, depth: depth) }
            let matching = outcomes.indices.filter { outcomes[$0].isEmpty }
            if matching.isEmpty {
                fail("does not match any allowed form: " + Self.explain(alternatives, outcomes, relativeTo: path))
            } else if matching.count > 1 {
                let names = matching.map { Self.label(alternatives[$0], index: $0) }
                fail("matches more than one form (\(Self.list(names, conjunction: "and"))); give exactly one")
            }
        }
        if let excluded = schema.not, validate(instance, against: excluded, at: path, depth: depth).isEmpty {
            fail("must not match \(Self.label(excluded, index: 0))")
        }
        return violations
    }

    private func validateNumber(_ number: Double, _ schema: SchemaKeywords, _ fail: (String, String?) -> Void) {
        let shown = Self.show(.number(number))
        if let minimum = schema.minimum, number < minimum {
            fail("must be at least \(Self.show(.number(minimum))), got \(shown)", nil)
        }
        if let maximum = schema.maximum, number > maximum {
            fail("must be at most \(Self.show(.number(maximum))), got \(shown)", nil)
        }
        if let bound = schema.exclusiveMinimum, number <= bound {
            fail("must be greater than \(Self.show(.number(bound))), got \(shown)", nil)
        }
        if let bound = schema.exclusiveMaximum, number >= bound {
            fail("must be less than \(Self.show(.number(bound))), got \(shown)", nil)
        }
        if let divisor = schema.multipleOf {
            let quotient = number / divisor
            if !quotient.isFinite || (quotient - quotient.rounded()).magnitude > 1e-9 {
                fail("must be a multiple of \(Self.show(.number(divisor))), got \(shown)", nil)
            }
        }
    }

    private func validateString(_ text: String, _ schema: SchemaKeywords, _ fail: (String, String?) -> Void) {
        let length = text.unicodeScalars.count
        if let minimum = schema.minLength, length < minimum {
            fail(minimum == 1 ? "must not be empty" : "must be at least \(minimum) characters long, got \(length)", nil)
        }
        if let maximum = schema.maxLength, length > maximum {
            fail("must be at most \(maximum) characters long, got \(length)", nil)
        }
        if let pattern = schema.pattern {
            let range = NSRange(text.startIndex..<text.endIndex, in: text)
            if pattern.firstMatch(in: text, options: [], range: range) == nil {
                fail("\(Self.show(.string(text))) does not match the pattern \(pattern.pattern)", nil)
            }
        }
        if schema.uri, !URIFormat.isValid(text) {
            fail("\(Self.show(.string(text))) is not a URI (RFC 3986: ASCII, scheme:…)", nil)
        }
    }

    private func validateArray(
        _ elements: [JSONValue], _ schema: SchemaKeywords, at path: String, depth: Int, _ fail: (String, String?) -> Void
    ) -> [SchemaViolation] {
        var violations: [SchemaViolation] = []
        if let minimum = schema.minItems, elements.count < minimum {
            fail(minimum == 1 ? "must not be empty" : "must have at least \(Self.count(minimum, "item")), got \(elements.count)", nil)
        }
        if let maximum = schema.maxItems, elements.count > maximum {
            fail("must have at most \(Self.count(maximum, "item")), got \(elements.count)", nil)
        }
        if schema.uniqueItems {
            var seen: [JSONValue: Int] = [:]
            for (index, element) in elements.enumerated() {
                if let first = seen[element] {
                    fail("items \(first) and \(index) are equal; items must be unique", nil)
                    break
                }
                seen[element] = index
            }
        }
        for (index, element) in elements.enumerated() {
            let elementPath = "\(path)/\(index)"
            if index < schema.prefixItems.count {
                violations += validate(element, against: schema.prefixItems[index], at: elementPath, depth: depth)
            } else if let items = schema.items {
                violations += validate(element, against: items, at: elementPath, depth: depth)
            }
        }
        return violations
    }

    private func validateObject(
        _ members: [String: JSONValue], _ schema: SchemaKeywords, at path: String, depth: Int, _ fail: (String, String?) -> Void
    ) -> [SchemaViolation] {
        var violations: [SchemaViolation] = []
        for name in schema.required where members[name] == nil {
            fail("missing required property \(Self.show(.string(name)))", nil)
        }
        if let minimum = schema.minProperties, members.count < minimum {
            fail("must have at least \(Self.count(minimum, "property")), got \(members.count)", nil)
        }
        if let maximum = schema.maxProperties, members.count > maximum {
            fail("must have at most \(Self.count(maximum, "property")), got \(members.count)", nil)
        }
        for name in members.keys.sorted() {
            let value = members[name]!
            let memberPath = "\(path)/\(SchemaCompiler.escape(name))"
            if let property = schema.properties[name] {
                violations += validate(value, against: property, at: memberPath, depth: depth)
            } else if let additional = schema.additionalProperties {
                if case .never = additional {
                    let known = schema.properties.keys.sorted()
                    let hint = known.isEmpty || known.count > 12 ? "" : " (allowed: \(known.joined(separator: ", ")))"
                    fail("unknown property \(Self.show(.string(name)))\(hint)", memberPath)
                } else {
                    violations += validate(value, against: additional, at: memberPath, depth: depth)
                }
            }
        }
        return violations
    }

    // MARK: Wording

    static func instance(_ value: JSONValue, hasType type: JSONType) -> Bool {
        switch (type, value) {
        case (.null, .null), (.boolean, .bool), (.object, .object), (.array, .array), (.string, .string), (.number, .number):
            return true
        case (.integer, .number(let number)):
            return number.isFinite && number.rounded() == number
        default:
            return false
        }
    }

    static func typeName(of value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool: return "boolean"
        case .number: return instance(value, hasType: .integer) ? "integer" : "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    /// A short JSON rendering of a value for messages.
    static func show(_ value: JSONValue) -> String {
        let text = value.jsonString
        return text.count > 60 ? String(text.prefix(57)) + "…" : text
    }

    static func list(_ items: [String], conjunction: String) -> String {
        switch items.count {
        case 0: return ""
        case 1: return items[0]
        case 2: return "\(items[0]) \(conjunction) \(items[1])"
        default: return items.dropLast().joined(separator: ", ") + ", \(conjunction) \(items.last!)"
        }
    }

    static func count(_ number: Int, _ noun: String) -> String {
        if number == 1 { return "1 \(noun)" }
        return noun.hasSuffix("y") ? "\(number) \(noun.dropLast())ies" : "\(number) \(noun)s"
    }

    /// A name for an alternative of `oneOf`/`anyOf`: its `title`, else its required properties, else its position.
    static func label(_ node: SchemaNode, index: Int) -> String {
        if case .keywords(let keywords) = node {
            if let title = keywords.title { return title }
            if !keywords.required.isEmpty { return "{" + keywords.required.joined(separator: ", ") + "}" }
        }
        return "form \(index + 1)"
    }

    /// "A (why not A); or B (why not B)" for alternatives that all failed.
    static func explain(_ alternatives: [SchemaNode], _ outcomes: [[SchemaViolation]], relativeTo path: String) -> String {
        zip(alternatives.indices, outcomes).map { index, violations in
            let reasons = violations.map { violation -> String in
                violation.path == path ? violation.message : "\(violation.path): \(violation.message)"
            }
            return "\(label(alternatives[index], index: index)) (\(reasons.joined(separator: "; ")))"
        }.joined(separator: "; or ")
    }
}
