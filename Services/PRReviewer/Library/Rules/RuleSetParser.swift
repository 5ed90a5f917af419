import AgentBase
import Yams

/// Reads the rules file node by node so every error names its line and field.
struct RuleSetParser: YAMLFieldReader {
    let path: String

    private static let kindKeys: [String: Set<String>] = [
        "pattern": ["pattern", "unless", "requires", "fix", "examples"],
        "entropy": ["pattern", "unless", "requires", "threshold", "min_length", "examples"],
        "flow": ["source", "source_requires", "sink", "unless", "requires", "within", "examples"],
        "large-file": ["max_added_lines"],
        "missing-tests": [],
    ]
    private static let commonKeys: Set<String> = ["id", "severity", "message", "kind", "languages", "paths", "exclude_paths", "skip_tests"]
    private static let ruleKeys = commonKeys.union(kindKeys.values.joined())
    private static var idPattern: Regex<Substring> { /[a-z][a-z0-9-]*/ }

    func parse(_ text: String) throws(ConfigFileError) -> RuleSet {
        let root = try compose(text)
        guard let top = root.mapping else { throw fail(root, nil, "expected a mapping with 'version', 'test_paths' and 'rules'") }
        try checkKeys(top, allowed: ["version", "test_paths", "rules"], field: "")
        guard let version = top["version"], version.int == 1 else { throw fail(top["version"] ?? root, "version", "must be 1") }
        let testPaths = try optionalStrings(top, "test_paths", field: "").map(PathGlob.init)
        guard let rulesNode = top["rules"], let list = rulesNode.sequence, !list.isEmpty else { throw fail(top["rules"] ?? root, "rules", "must be a non-empty list of rules") }
        var rules: [ReviewRule] = []
        var seen: [String: Int] = [:]
        for (index, node) in list.enumerated() {
            let field = "rules[\(index)]"
            let rule = try parseRule(node, field: field, testPaths: testPaths)
            if let first = seen[rule.id] { throw fail(node.mapping?["id"] ?? node, "\(field).id", "duplicate rule id '\(rule.id)' (first at rules[\(first)])") }
            seen[rule.id] = index
            rules.append(rule)
        }
        return RuleSet(rules: rules, testPaths: testPaths, path: path)
    }

    private func parseRule(_ node: Node, field: String, testPaths: [PathGlob]) throws(ConfigFileError) -> ReviewRule {
        guard let map = node.mapping else { throw fail(node, field, "expected a mapping") }
        try checkKeys(map, allowed: Self.ruleKeys, field: field)
        let id = try string(map, "id", field: field)
        guard id.wholeMatch(of: Self.idPattern) != nil else { throw fail(map["id"], "\(field).id", "'\(id)' must be lower-case letters, digits and dashes") }
        let kind = try optionalString(map, "kind", field: field) ?? "pattern"
        guard let allowed = Self.kindKeys[kind] else {
            throw fail(map["kind"], "\(field).kind", "'\(kind)' is not a kind (known: \(Self.kindKeys.keys.sorted().joined(separator: ", ")))")
        }
        let applicable = allowed.union(Self.commonKeys)
        for (key, _) in map where !applicable.contains(key.string ?? "") {
            throw fail(key, "\(field).\(key.string ?? "?")", "does not apply to kind '\(kind)'")
        }
        let languages = try optionalStrings(map, "languages", field: field)
        for (index, language) in languages.enumerated() where Language.extensions[language] == nil {
            throw fail(map["languages"]?.sequence?[index], "\(field).languages[\(index)]", "unknown language '\(language)' (known: \(Language.names))")
        }
        let scope = RuleScope(
            languages: languages,
            paths: try optionalStrings(map, "paths", field: field).map(PathGlob.init),
            excludePaths: try optionalStrings(map, "exclude_paths", field: field).map(PathGlob.init),
            skipTests: try bool(map, "skip_tests", field: field, default: false),
            testPaths: testPaths
        )
        let check = try parseCheck(kind, map, field: field)
        var rule = ReviewRule(id: id, severity: try severity(map, "severity", field: field), message: try string(map, "message", field: field), check: check, scope: scope)
        rule.prefilter = LiteralPrefilter(try optionalStrings(map, "requires", field: field))
        rule.fix = try optionalString(map, "fix", field: field)
        if rule.isLineRule || rule.isFlowRule {
            rule.examples = try parseExamples(map, field: field, scope: scope)
        }
        if rule.fix != nil, rule.examples.fixed.count != rule.examples.match.count {
            throw fail(map["examples"] ?? map["fix"], "\(field).examples.fixed", "give each match example as the fix leaves it (\(rule.examples.match.count) lines)")
        }
        if rule.isLineRule, let hidden = rule.examples.match.firstIndex(where: { !rule.prefilter.admits(line: $0) }) {
            throw fail(map["examples"]?.mapping?["match"]?.sequence?[hidden] ?? map["requires"], "\(field).requires", "match example \(hidden) holds none of these literals, so the rule would never see it")
        }
        return rule
    }

    private func parseCheck(_ kind: String, _ map: Node.Mapping, field: String) throws(ConfigFileError) -> ReviewRule.Check {
        switch kind {
        case "large-file":
            guard map["max_added_lines"] != nil else { throw fail(map.first?.key, "\(field).max_added_lines", "is required for kind 'large-file'") }
            return .largeFile(maxAddedLines: try int(map, "max_added_lines", field: field, default: 0, minimum: 1))
        case "missing-tests":
            return .missingTests
        case "entropy":
            let pattern = try linePattern(map, field: field)
            guard let node = map["threshold"], let threshold = node.scalar.flatMap({ Double($0.string) }), threshold > 0 else {
                throw fail(map["threshold"] ?? map.first?.key, "\(field).threshold", "is required for kind 'entropy': bits per character, such as 4.0")
            }
            return .entropy(pattern, threshold: threshold, minLength: try int(map, "min_length", field: field, default: 16, minimum: 1))
        case "flow":
            return .flow(
                source: try linePattern(map, field: field, key: "source", unless: false),
                sink: try linePattern(map, field: field, key: "sink"),
                within: try int(map, "within", field: field, default: 8, minimum: 1),
                sourcePrefilter: LiteralPrefilter(try optionalStrings(map, "source_requires", field: field))
            )
        default:
            return .pattern(try linePattern(map, field: field))
        }
    }

    /// The expression under `key` with the rule's `unless` (when `unless` is true).
    private func linePattern(_ map: Node.Mapping, field: String, key: String = "pattern", unless withUnless: Bool = true) throws(ConfigFileError) -> LinePattern {
        let pattern = try string(map, key, field: field)
        let unless = withUnless ? try optionalString(map, "unless", field: field) : nil
        do {
            return try LinePattern(pattern, unless: unless)
        } catch {
            let name = error.field == "pattern" ? key : error.field
            throw fail(map[name], "\(field).\(name)", error.description)
        }
    }

    private func parseExamples(_ map: Node.Mapping, field: String, scope: RuleScope) throws(ConfigFileError) -> ReviewRule.Examples {
        let examplesField = "\(field).examples"
        guard let node = map["examples"], let examples = node.mapping else {
            throw fail(map["examples"] ?? map.first?.key, examplesField, "is required: {match: [lines that break the rule], no_match: [lines that do not]}")
        }
        try checkKeys(examples, allowed: ["path", "match", "no_match", "fixed"], field: examplesField)
        let path = try optionalString(examples, "path", field: examplesField) ?? defaultExamplePath(scope)
        if !scope.contains(path) {
            throw fail(examples["path"] ?? node, "\(examplesField).path", "'\(path)' is outside the rule's languages and paths; give a path the rule applies to")
        }
        let match = try expanded(examples, "match", field: examplesField)
        if match.isEmpty { throw fail(node, "\(examplesField).match", "give at least one line that breaks the rule") }
        return ReviewRule.Examples(path: path, match: match, noMatch: try expanded(examples, "no_match", field: examplesField), fixed: try expanded(examples, "fixed", field: examplesField))
    }

    private func expanded(_ map: Node.Mapping, _ key: String, field: String) throws(ConfigFileError) -> [String] {
        var lines: [String] = []
        for (index, line) in try optionalStrings(map, key, field: field).enumerated() {
            do {
                lines.append(try SamplePlaceholder.expand(line))
            } catch {
                throw fail(map[key]?.sequence?[index], "\(field).\(key)[\(index)]", error.description)
            }
        }
        return lines
    }

    private func defaultExamplePath(_ scope: RuleScope) -> String {
        let suffix = scope.languages.first.flatMap { Language.extensions[$0]?.first } ?? ".txt"
        return "Sources/example\(suffix)"
    }
}
