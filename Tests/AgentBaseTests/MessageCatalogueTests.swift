import Foundation
import SwitchboardTesting
import Testing

@testable import AgentBase

/// Keeps the Swift message types, `Registry/schemas/*.json` and the schema validator in step.
@Suite("Message catalogue and schemas")
struct MessageCatalogueTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // AgentBaseTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // repository root
    static let schemaDirectory = repositoryRoot.appendingPathComponent("Registry/schemas")

    /// File stems of every schema file, e.g. `pr.review`, `pr.review.result`, `task.failed`.
    static let schemaNames: [String] = {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: schemaDirectory.path)) ?? []
        return files.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(".json".count)) }.sorted()
    }()

    static func schema(_ name: String) throws -> JSONSchema {
        try JSONSchema(contentsOf: schemaDirectory.appendingPathComponent(name + ".json"))
    }

    static func library() throws -> SchemaLibrary {
        try SchemaLibrary(directory: schemaDirectory)
    }

    // MARK: Examples, Swift types and schemas agree

    @Test("every schema's examples validate and round-trip through their Swift type", arguments: schemaNames)
    func examplesRoundTrip(name: String) throws {
        let schema = try Self.schema(name)
        #expect(schema.json["$schema"] == "https://json-schema.org/draft/2020-12/schema")
        #expect(schema.title?.isEmpty == false, "\(name) has no title")
        #expect(schema.description?.isEmpty == false, "\(name) has no description")
        #expect(schema.json["type"] == "object")
        #expect(!schema.examples.isEmpty, "\(name) has no examples")

        let type = try #require(MessageCatalogue.payloadTypes[name], "no Swift type for schema \(name)")
        for (index, example) in schema.examples.enumerated() {
            let violations = schema.validate(example)
            #expect(violations.isEmpty, "\(name) example \(index): \(violations)")

            let encoded = try roundTrip(example, as: type)
            #expect(encoded == example, "\(name) example \(index) changed in a round trip:\n\(example)\n\(encoded)")

            if let request = MessageCatalogue.request(named: name) {
                try decodeAndValidate(example, as: request)
            }
        }
    }

    @Test("examples use every property their schema declares, so the round trip covers every field", arguments: schemaNames)
    func examplesCoverProperties(name: String) throws {
        let schema = try Self.schema(name)
        var declared: Set<String> = []
        var used: Set<String> = []
        func collectDeclared(_ node: JSONValue) {
            switch node {
            case .object(let members):
                for (key, value) in members where !["examples", "default", "const", "enum"].contains(key) {
                    if key == "properties", case .object(let properties) = value { declared.formUnion(properties.keys) }
                    collectDeclared(value)
                }
            case .array(let elements): elements.forEach(collectDeclared)
            default: break
            }
        }
        func collectUsed(_ node: JSONValue) {
            switch node {
            case .object(let members):
                used.formUnion(members.keys)
                members.values.forEach(collectUsed)
            case .array(let elements): elements.forEach(collectUsed)
            default: break
            }
        }
        collectDeclared(schema.json)
        schema.examples.forEach(collectUsed)
        #expect(declared.subtracting(used).isEmpty, "\(name): no example uses \(declared.subtracting(used).sorted())")
    }

    private func roundTrip<T: Codable>(_ value: JSONValue, as _: T.Type) throws -> JSONValue {
        let decoded: T = try value.decode()
        return try JSONValue(encoding: decoded)
    }

    private func decodeAndValidate<M: AgentMessage>(_ value: JSONValue, as _: M.Type) throws {
        let message: M = try value.decode()
        try message.validate()
    }

    @Test("every request type has a request and a result schema, and every schema has a Swift type")
    func catalogueMatchesSchemaFiles() throws {
        let names = Set(Self.schemaNames)
        #expect(!names.isEmpty, "no schemas found in \(Self.schemaDirectory.path)")
        for request in MessageCatalogue.requests {
            #expect(names.contains(request.type), "no schema file for request \(request.type)")
            #expect(names.contains(MessageCatalogue.resultSchemaName(for: request.type)), "no result schema for \(request.type)")
        }
        for name in names {
            #expect(MessageCatalogue.payloadTypes[name] != nil, "schema \(name).json has no Swift type")
        }
        for event in ["task.failed", "task.progress"] {
            #expect(names.contains(event), "no schema for event payload \(event)")
            #expect(MessageCatalogue.events[event] != nil)
        }
        #expect(Set(MessageCatalogue.payloadTypes.keys) == names)
    }

    @Test("wire names are unique and found by name")
    func lookupByWireName() {
        let types = MessageCatalogue.requests.map { $0.type }
        #expect(Set(types).count == types.count)
        for request in MessageCatalogue.requests {
            let found = MessageCatalogue.request(named: request.type)
            #expect(found.map(ObjectIdentifier.init) == ObjectIdentifier(request))
        }
        #expect(MessageCatalogue.request(named: "pr.reviews") == nil)
        #expect(MessageCatalogue.result(named: "pr.review").map(ObjectIdentifier.init) == ObjectIdentifier(PRReviewResult.self))
        #expect(PRReviewRequest.type == "pr.review")
        #expect(TaskCancel.type == "task.cancel")
    }

    @Test("the schema library is keyed by file stem")
    func libraryKeys() throws {
        let library = try Self.library()
        #expect(library.names == Self.schemaNames)
        #expect(library.schema(named: "pr.review")?.title == "pr.review request")
        #expect(library.request("repo.merge") != nil)
        #expect(library.result("repo.merge")?.title == "repo.merge result")
        #expect(library["task.failed"] != nil)
        #expect(throws: JSONSchemaError.unknownSchema("nope")) { try library.validate([:], against: "nope") }
    }

    // MARK: Readable violations

    private func violations(_ name: String, _ json: String) throws -> [String] {
        try Self.library().validate(JSONValue(parsing: json), against: name).map(\.description)
    }

    @Test("pr.review with neither form says which forms exist")
    func prReviewNeitherForm() throws {
        let found = try violations("pr.review", #"{"post": true}"#)
        #expect(found.count == 1)
        let message = try #require(found.first)
        #expect(message.hasPrefix("(root): does not match any allowed form"))
        #expect(message.contains("pull request {repo, number}"))
        #expect(message.contains("two refs {repo_url, base, head}"))
        #expect(message.contains(#"missing required property "number""#))
    }

    @Test("pr.review with both forms is refused")
    func prReviewBothForms() throws {
        let found = try violations(
            "pr.review",
            #"{"repo": "example-org/example-repo", "number": 1, "repo_url": "https://git.example.com/r.git", "base": "main", "head": "dev"}"#)
        #expect(found == ["(root): matches more than one form (pull request {repo, number} and two refs {repo_url, base, head}); give exactly one"])
    }

    @Test("a wrong type names the field, the expected and the actual type")
    func wrongType() throws {
        #expect(try violations("pr.review", #"{"repo": "example-org/example-repo", "number": "42"}"#) == ["/number: expected integer, got string"])
        #expect(try violations("pr.review", #"{"repo": "example-org/example-repo", "number": 4.5}"#) == ["/number: expected integer, got number"])
        #expect(try violations("chat.message", #"[]"#) == ["(root): expected object, got array"])
    }

    @Test("a missing required field is named")
    func missingRequired() throws {
        #expect(
            try violations("code.write", #"{"repo_url": "https://git.example.com/r.git", "base": "main"}"#)
                == [#"(root): missing required property "spec""#])
        #expect(try violations("repo.prune", #"{"base": "main"}"#) == [#"(root): missing required property "repo_url""#])
    }

    @Test("violations deep in results carry a JSON pointer")
    func nestedPaths() throws {
        let result = #"""
            {"summary": "s", "posted": false, "colour": "red",
             "findings": [{"path": "a.swift", "line": "7", "severity": "fatal", "rule": "r", "message": "m"}]}
            """#
        let found = try violations("pr.review.result", result)
        #expect(found.contains(#"/colour: unknown property "colour" (allowed: findings, posted, review_url, since, summary)"#))
        #expect(found.contains("/findings/0/line: expected integer, got string"))
        #expect(found.contains(#"/findings/0/severity: must be one of "error", "warning", or "info", got "fatal""#))
        #expect(found.count == 3)
    }

    @Test("enums, patterns, argv and edit forms are checked")
    func keywordChecks() throws {
        #expect(
            try violations("todos.scrape", #"{"url": "https://todo.example.com/x", "format": "html"}"#)
                == [#"/format: must be one of "markdown" or "json", got "html""#])
        #expect(try violations("todos.scrape", #"{"url": "ftp://todo.example.com/x"}"#) == [#"/url: "ftp://todo.example.com/x" does not match the pattern ^https?://"#])
        let merge = #"{"repo_url": "https://git.example.com/r.git", "source": "--upload-pack=evil", "target": "main", "test_command": []}"#
        let mergeViolations = try violations("repo.merge", merge)
        #expect(mergeViolations.contains { $0.hasPrefix(#"/source: "--upload-pack=evil" does not match the pattern"#) })
        #expect(mergeViolations.contains("/test_command: must not be empty"))
        let edit = #"{"repo_url": "u", "base": "main", "spec": "s", "edits": [{"path": "a", "content": "b", "patch": "c"}, {"path": "a"}]}"#
        let editViolations = try violations("code.write", edit)
        #expect(editViolations.contains("/edits/0: matches more than one form (file {path, content} and patch {patch}); give exactly one"))
        #expect(editViolations.contains { $0.hasPrefix("/edits/1: does not match any allowed form: file {path, content}") })
        #expect(try violations("task.progress", #"{"message": "m", "percent": 120}"#) == ["/percent: must be at most 100, got 120"])
        #expect(try violations("chat.message", #"{"text": ""}"#) == ["/text: must not be empty"])
    }

    @Test("requests accept unknown fields; results do not")
    func forwardCompatibility() throws {
        #expect(try violations("chat.message", #"{"text": "hi", "locale": "en"}"#).isEmpty)
        #expect(try violations("chat.message.result", #"{"reply": "hi", "mood": "cheerful"}"#) == [#"/mood: unknown property "mood" (allowed: reply, suggested_command)"#])
    }

    // MARK: Swift-side rules and defaults

    @Test("PRReviewRequest tells its two forms apart")
    func prReviewTarget() throws {
        #expect(try PRReviewRequest(repo: "example-org/example-repo", number: 42).target == .pullRequest(repo: "example-org/example-repo", number: 42))
        let refs = PRReviewRequest(repoURL: "https://git.example.com/r.git", base: "main", head: "dev", post: true)
        #expect(try refs.target == .refs(repoURL: "https://git.example.com/r.git", base: "main", head: "dev"))
        let target = try refs.target
        #expect(PRReviewRequest(target: target, post: true) == refs)

        #expect(throws: MessageValidationError.self) { try PRReviewRequest(post: true).validate() }
        #expect(throws: MessageValidationError.self) {
            try PRReviewRequest(repo: "example-org/example-repo", number: 1, repoURL: "u", base: "main", head: "dev").validate()
        }
        do {
            try PRReviewRequest(repoURL: "u", base: "main").validate()
            Issue.record("an incomplete refs form must be refused")
        } catch {
            #expect(error.description == #"pr.review: missing "head" for a review of two refs"#)
        }
    }

    @Test("the Swift form rules agree with the schemas' oneOf for every combination of fields")
    func formsAgreeWithSchemas() throws {
        let library = try Self.library()
        func combinations(_ fields: [(String, JSONValue)]) -> [[String: JSONValue]] {
            (0..<(1 << fields.count)).map { mask in
                var members: [String: JSONValue] = [:]
                for (index, field) in fields.enumerated() where mask & (1 << index) != 0 { members[field.0] = field.1 }
                return members
            }
        }
        let reviewFields: [(String, JSONValue)] = [
            ("repo", "example-org/example-repo"), ("number", 42), ("repo_url", "https://git.example.com/r.git"), ("base", "main"), ("head", "dev"),
        ]
        for members in combinations(reviewFields) {
            let payload = JSONValue.object(members)
            let schemaAccepts = try library.validate(payload, against: "pr.review").isEmpty
            let request: PRReviewRequest = try payload.decode()
            let swiftAccepts = (try? request.validate()) != nil
            #expect(schemaAccepts == swiftAccepts, "pr.review \(payload)")
        }
        for edit in combinations([("path", "a.txt"), ("content", "x\n"), ("patch", "--- a\n+++ b\n")]) {
            let payload: JSONValue = ["repo_url": "u", "base": "main", "spec": "s", "edits": [.object(edit)]]
            let schemaAccepts = try library.validate(payload, against: "code.write").isEmpty
            let request: CodeWriteRequest = try payload.decode()
            let swiftAccepts = (try? request.validate()) != nil
            #expect(schemaAccepts == swiftAccepts, "code.write edit \(JSONValue.object(edit))")
        }
    }

    @Test("absent fields with defaults decode to their defaults")
    func defaults() throws {
        let review: PRReviewRequest = try JSONValue(parsing: #"{"repo": "example-org/example-repo", "number": 7}"#).decode()
        #expect(review.post == false)
        let prune: RepoPruneRequest = try JSONValue(parsing: #"{"repo_url": "u", "base": "main"}"#).decode()
        #expect(prune.dryRun == true)
        let merge: RepoMergeRequest = try JSONValue(parsing: #"{"repo_url": "u", "source": "a", "target": "b"}"#).decode()
        #expect(merge.strategy == .report && merge.push == false && merge.testCommand == nil)
        let scrape: TodosScrapeRequest = try JSONValue(parsing: #"{"url": "https://todo.example.com/"}"#).decode()
        #expect(scrape.format == .markdown)
        let workflow: WorkflowRunRequest = try JSONValue(parsing: #"{"workflow": "pr_review"}"#).decode()
        #expect(workflow.inputs.isEmpty)
        let write: CodeWriteRequest = try JSONValue(parsing: #"{"repo_url": "u", "base": "main", "spec": "s"}"#).decode()
        #expect(write.openPR == false)
    }

    @Test("optional fields are omitted when nil, and keys are snake_case")
    func encodingShape() throws {
        let result = CodeWriteResult(branch: "b", commit: "c", tests: TestRunReport(passed: true, outputTail: "ok"), prURL: nil)
        #expect(try JSONValue(encoding: result) == ["branch": "b", "commit": "c", "tests": ["passed": true, "output_tail": "ok"]])
        let prune = RepoPruneRequest(repoURL: "u", base: "main")
        #expect(try JSONValue(encoding: prune) == ["repo_url": "u", "base": "main", "dry_run": true])
        #expect(try JSONValue(encoding: TaskCancelResult()) == [:])
    }

    @Test("code.write edits tell their two forms apart")
    func codeEditKinds() throws {
        #expect(try CodeEdit.file("a.txt", content: "x").kind == .file(path: "a.txt", content: "x"))
        #expect(try CodeEdit.patch("--- a\n+++ b\n").kind == .patch("--- a\n+++ b\n"))
        #expect(throws: MessageValidationError.self) { try CodeEdit(path: "a", content: "x", patch: "p").kind }
        #expect(throws: MessageValidationError.self) { try CodeEdit(path: "a").kind }
        let request = CodeWriteRequest(repoURL: "u", base: "main", spec: "s", edits: [.file("a", content: ""), CodeEdit()])
        #expect(throws: MessageValidationError.self) { try request.validate() }
        #expect(throws: MessageValidationError.self) { try CodeWriteRequest(repoURL: "u", base: "main", spec: "s", testCommand: []).validate() }
    }

    // MARK: The validator itself

    private func check(_ schema: String, _ instance: String) throws -> [String] {
        try JSONSchema(data: Data(schema.utf8)).validate(JSONValue(parsing: instance)).map(\.description)
    }

    @Test("validator keywords")
    func validatorKeywords() throws {
        let nullable = #"{"type": ["string", "null"]}"#
        #expect(try check(nullable, "null").isEmpty)
        #expect(try check(nullable, "3") == ["(root): expected string or null, got integer"])
        #expect(try check(#"{"type": "integer"}"#, "3.0").isEmpty)
        #expect(try check(#"{"type": "number"}"#, "3").isEmpty)
        #expect(try check(#"{"const": "v1"}"#, #""v2""#) == [#"(root): must be "v1", got "v2""#])
        #expect(try check(#"{"minimum": 1, "maximum": 3}"#, "0") == ["(root): must be at least 1, got 0"])
        #expect(try check(#"{"minLength": 3}"#, #""ab""#) == ["(root): must be at least 3 characters long, got 2"])
        #expect(try check(#"{"minItems": 2}"#, "[1]") == ["(root): must have at least 2 items, got 1"])
        #expect(try check(#"{"items": {"type": "string"}}"#, #"["a", 2]"#) == ["/1: expected string, got integer"])
        #expect(try check(#"{"anyOf": [{"type": "string"}, {"type": "boolean"}]}"#, "1") == [
            "(root): does not match any allowed form: form 1 (expected string, got integer); or form 2 (expected boolean, got integer)"
        ])
        #expect(try check("false", "1") == ["(root): no value is allowed here"])
        #expect(try check(#"{"properties": {"a/b": {"type": "string"}}}"#, #"{"a/b": 1}"#) == ["/a~1b: expected string, got integer"])
    }

    @Test("$ref to $defs, including recursion")
    func references() throws {
        let tree = #"""
            {"$ref": "#/$defs/node",
             "$defs": {"node": {"type": "object", "required": ["name"],
                                "properties": {"name": {"type": "string"}, "children": {"type": "array", "items": {"$ref": "#/$defs/node"}}}}}}
            """#
        #expect(try check(tree, #"{"name": "a", "children": [{"name": "b", "children": [{"name": "c"}]}]}"#).isEmpty)
        #expect(try check(tree, #"{"name": "a", "children": [{"children": []}]}"#) == [#"/children/0: missing required property "name""#])
    }

    @Test("schemas the validator cannot honour are refused when loaded")
    func badSchemas() {
        #expect(throws: JSONSchemaError.unsupportedKeyword(location: "", keyword: "patternProperties")) {
            try JSONSchema(data: Data(#"{"patternProperties": {}}"#.utf8))
        }
        #expect(throws: JSONSchemaError.unresolvableReference(location: "", reference: "#/$defs/missing")) {
            try JSONSchema(data: Data(##"{"$ref": "#/$defs/missing"}"##.utf8))
        }
        #expect(throws: JSONSchemaError.unresolvableReference(location: "", reference: "other.json#/x")) {
            try JSONSchema(data: Data(#"{"$ref": "other.json#/x"}"#.utf8))
        }
        #expect(throws: JSONSchemaError.self) { try JSONSchema(data: Data(#"{"pattern": "("}"#.utf8)) }
        #expect(throws: JSONSchemaError.self) { try JSONSchema(data: Data("not json".utf8)) }
    }

    // MARK: JSONValue

    @Test("JSONValue keeps integers integral and reads back what it writes")
    func jsonValue() throws {
        let value: JSONValue = ["n": 42, "x": 1.5, "s": "é", "b": true, "z": nil, "a": [1, "two"]]
        #expect(value.jsonString == #"{"a":[1,"two"],"b":true,"n":42,"s":"é","x":1.5,"z":null}"#)
        #expect(try JSONValue(parsing: value.jsonString) == value)
        #expect(value["n"]?.intValue == 42)
        #expect(value["x"]?.intValue == nil)
        #expect(value["a"]?[1]?.stringValue == "two")
        #expect(value["z"]?.isNull == true)
        #expect(value["missing"] == nil)
        #expect(try JSONValue(parsing: "true") == .bool(true))
        #expect(try JSONValue(parsing: "1") == .number(1))
    }
}
