import AgentBase
import Foundation
import PRReviewer
import SwitchboardTesting
import Testing

/// The shipped rules file: it loads, every rule passes its own examples, and loader errors name line and field.
struct RulesFileTests {
    @Test("the shipped rules load, and every line rule has examples")
    func shippedRulesLoad() throws {
        let rules = try TestData.rules()
        #expect(rules.rules.count >= 20)
        for rule in rules.rules where rule.isLineRule {
            #expect(!rule.examples.match.isEmpty, "\(rule.id) has no match examples")
        }
        #expect(rules.rule(id: "large-file") != nil)
        #expect(rules.rule(id: "missing-tests") != nil)
        #expect(rules.isTest("Tests/PRReviewerTests/RuleTests.swift"))
        #expect(rules.isTest("web/src/app.test.ts"))
        #expect(!rules.isTest("Sources/App/Testing.swift"))
    }

    @Test("each rule matches its match examples and none of its no_match examples", arguments: try TestData.rules().rules.filter(\.isLineRule).map(\.id))
    func ruleExamples(id: String) throws {
        let rule = try #require(try TestData.rules().rule(id: id))
        #expect(rule.scope.contains(rule.examples.path))
        for line in rule.examples.match {
            #expect(rule.matches(line: line), "\(id) should match: \(line)")
        }
        for line in rule.examples.noMatch {
            #expect(!rule.matches(line: line), "\(id) should not match: \(line)")
        }
        if rule.fix != nil {
            #expect(rule.examples.match.map(rule.fixed(line:)) == rule.examples.fixed, "\(id)'s fix")
            #expect(rule.examples.fixed.allSatisfy { !rule.matches(line: $0) }, "\(id): a fixed line still breaks the rule")
        }
    }

    @Test("each line rule finds its examples through the engine, on the right line")
    func examplesThroughEngine() throws {
        let rules = try TestData.rules()
        for rule in rules.rules where rule.isLineRule {
            let file = TestData.added(rule.examples.path, rule.examples.noMatch + rule.examples.match, start: 7)
            let lines = try RuleEngine(rules: rules).findings(in: [file], allChangedPaths: ["Tests/x"]).filter { $0.rule == rule.id }.compactMap(\.line)
            let expected = Array(7 + rule.examples.noMatch.count ..< 7 + rule.examples.noMatch.count + rule.examples.match.count)
            #expect(lines == expected, "\(rule.id)")
        }
    }

    @Test("no file of the PR reviewer holds a literal credential (samples are placeholders)")
    func noLiteralSecrets() throws {
        let rules = try TestData.rules()
        let secretRules = rules.rules.filter { ["aws-access-key-id", "github-token", "slack-token", "telegram-bot-token", "openai-anthropic-key", "private-key"].contains($0.id) }
        #expect(secretRules.count == 6)
        let folders = ["Registry", "Services/PRReviewer", "Tests/PRReviewerTests"].map { RepositoryPaths.root.appendingPathComponent($0) }
        var checked = 0
        for folder in folders {
            let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)
            while let url = enumerator?.nextObject() as? URL {
                guard let text = try? String(contentsOf: url, encoding: .utf8) else { continue }
                checked += 1
                for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                    for rule in secretRules where rule.matches(line: String(line)) {
                        Issue.record("\(url.lastPathComponent):\(number + 1) matches \(rule.id)")
                    }
                }
            }
        }
        #expect(checked > 20)
    }

    private static let rule = "  - id: r\n    severity: warning\n    message: m\n"
    private static let head = "version: 1\nrules:\n" + rule
    private static let errorCases: [(String, Int, String, String)] = [
        (head + "    pattern: 'a(b'\n    examples: {match: [ab]}\n", 6, "rules[0].pattern", "is not a valid regular expression (ICU syntax"),
        (head + "    pattern: 'x'\n", 3, "rules[0].examples", "is required"),
        (head + "    pattern: 'x'\n    examples: {match: [y]}\n    colour: red\n", 8, "rules[0].colour", "unknown field"),
        (head + "    kind: large-file\n    max_added_lines: 10\n    pattern: 'x'\n", 8, "rules[0].pattern", "does not apply to kind 'large-file'"),
        (head + "    kind: entropy\n    pattern: '(x)'\n    examples: {match: [x]}\n", 3, "rules[0].threshold", "is required"),
        (head + "    pattern: 'x'\n    languages: [cobol]\n    examples: {match: [x]}\n", 7, "rules[0].languages[0]", "unknown language"),
        (head + "    pattern: 'x'\n    languages: [swift]\n    examples: {path: a.py, match: [x]}\n", 8, "rules[0].examples.path", "outside the rule's languages"),
        (head + "    pattern: 'x'\n    examples: {match: ['{{random:x}}']}\n", 7, "rules[0].examples.match[0]", "unknown placeholder"),
        ("version: 1\nrules:\n  - id: r\n    severity: fatal\n    message: m\n    pattern: x\n    examples: {match: [x]}\n", 4, "rules[0].severity", "must be one of error, warning, info"),
        (head + "    pattern: 'x'\n    examples: {match: [x]}\n" + rule + "    pattern: 'y'\n    examples: {match: [y]}\n", 8, "rules[1].id", "duplicate rule id"),
        ("version: 2\nrules: []\n", 1, "version", "must be 1"),
        (head + "    pattern: 'x'\n    unless: '[x'\n    examples: {match: [x]}\n", 7, "rules[0].unless", "'[x' is not a valid regular expression"),
    ]

    @Test("errors name the file, the line and the field", arguments: errorCases)
    func errors(yaml: String, line: Int, field: String, message: String) throws {
        let error = try #require(throws: ConfigFileError.self) { try RuleSet.parse(yaml, path: "review-rules.yaml") }
        #expect(error.file == "review-rules.yaml")
        #expect(error.line == line)
        #expect(error.field == field)
        #expect(error.message.contains(message), "\(error)")
    }

    @Test("placeholders expand the same way on every run, and a bad one is named")
    func placeholders() throws {
        let sample = try SamplePlaceholder.expand("ghp_{{random:36}} {{random:4:hex}} {{repeat:ab:3}}")
        #expect(sample == (try SamplePlaceholder.expand("ghp_{{random:36}} {{random:4:hex}} {{repeat:ab:3}}")))
        let parts = sample.split(separator: " ")
        #expect(parts[0].count == 40)
        #expect(parts[1].allSatisfy { $0.isHexDigit })
        #expect(parts[2] == "ababab")
        #expect(throws: SamplePlaceholderError.self) { try SamplePlaceholder.expand("{{random:10:base64}}") }
        #expect(throws: SamplePlaceholderError.self) { try SamplePlaceholder.expand("open {{repeat:a:2") }
    }
}
