import Foundation
import Testing

/// .env.example: every variable of the README's configuration table, explained, and no secret values.
struct EnvironmentExampleTests {
    /// Variable names in the first column of the README's "Configuration" table. `_SLACK` after
    /// `GATEWAY_RATE_LIMIT_TELEGRAM` means `GATEWAY_RATE_LIMIT_SLACK`; `ANTHROPIC_*` is a family.
    static func documentedVariables() throws -> [String] {
        let readme = try DeploymentFiles.text("README.md")
        let section = try #require(readme.components(separatedBy: "\n## Configuration\n").dropFirst().first, "README has no Configuration section")
        let table = section.components(separatedBy: "\n## ").first ?? section
        var names: [String] = []
        for row in table.split(separator: "\n") where row.hasPrefix("| `") {
            let firstColumn = row.split(separator: "|").first ?? ""
            var previous: String?
            for match in firstColumn.matches(of: /`([A-Z_][A-Z0-9_]*\*?)`/) {
                var name = String(match.output.1)
                if name.hasPrefix("_"), let base = previous, let cut = base.lastIndex(of: "_") {
                    name = String(base[..<cut]) + name
                }
                names.append(name)
                previous = name
            }
        }
        return names
    }

    /// `NAME` → value for set lines (`NAME=value`), and the names of commented examples (`# NAME=…`).
    static func example() throws -> (set: [String: String], commented: Set<String>) {
        var set: [String: String] = [:]
        var commented: Set<String> = []
        for line in try DeploymentFiles.text(".env.example").split(separator: "\n") {
            if let match = line.wholeMatch(of: /([A-Z][A-Z0-9_]*)=(.*)/) {
                set[String(match.output.1)] = String(match.output.2)
            } else if let match = line.prefixMatch(of: /#\s*([A-Z][A-Z0-9_]*)=/) {
                commented.insert(String(match.output.1))
            }
        }
        return (set, commented)
    }

    @Test("every variable of the README's configuration table is in .env.example")
    func everyVariableListed() throws {
        let documented = try Self.documentedVariables()
        #expect(documented.count > 30, "the README table was not read: \(documented)")
        let example = try Self.example()
        let listed = Set(example.set.keys).union(example.commented)
        for name in documented {
            if name.hasSuffix("*") {
                let family = name.dropLast()
                #expect(listed.contains { $0.hasPrefix(family) }, ".env.example lists no \(name) variable")
            } else {
                #expect(listed.contains(name), ".env.example does not list \(name)")
            }
        }
    }

    @Test("secrets in .env.example are empty, and every set line is explained by a comment above it")
    func noSecretValues() throws {
        let lines = try DeploymentFiles.text(".env.example").split(separator: "\n", omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() {
            guard let match = line.wholeMatch(of: /([A-Z][A-Z0-9_]*)=(.*)/) else { continue }
            let name = String(match.output.1)
            if DeploymentFiles.isSecretName(name) {
                #expect(match.output.2.isEmpty, ".env.example: \(name) must be empty (no secret values in the repository)")
            }
            #expect(index > 0 && lines[index - 1].hasPrefix("#"), ".env.example: \(name) needs a comment line above it (env files take no trailing comments)")
        }
    }
}
