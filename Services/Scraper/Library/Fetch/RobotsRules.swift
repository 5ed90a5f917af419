import Foundation

/// The rules of one robots.txt (RFC 9309) for one user agent: the longest matching `Allow`/`Disallow` wins.
struct RobotsRules: Sendable {
    private var rules: [(allow: Bool, pattern: String)]

    /// Everything allowed (no robots.txt, or it could not be read with a 4xx).
    static let allowAll = RobotsRules(rules: [])
    /// Nothing allowed (robots.txt answered 5xx: RFC 9309 says assume complete disallow).
    static let disallowAll = RobotsRules(rules: [(false, "/")])

    private init(rules: [(allow: Bool, pattern: String)]) {
        self.rules = rules
    }

    /// Parses robots.txt for `agent` (a lower-case product token): its own group if present, else the `*` group.
    init(parsing text: String, agent: String) {
        var groups: [(agents: [String], rules: [(allow: Bool, pattern: String)])] = []
        var collectingAgents = false
        for rawLine in text.split(whereSeparator: \.isNewline) {
            let line = rawLine.prefix { $0 != "#" }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let field = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            switch field {
            case "user-agent":
                if !collectingAgents { groups.append(([], [])) }
                groups[groups.count - 1].agents.append(value.lowercased())
                collectingAgents = true
            case "allow", "disallow":
                collectingAgents = false
                guard !groups.isEmpty, !value.isEmpty else { continue }
                groups[groups.count - 1].rules.append((field == "allow", value))
            default:
                continue
            }
        }
        let own = groups.filter { $0.agents.contains { !$0.isEmpty && $0 != "*" && agent.hasPrefix($0) } }
        let chosen = own.isEmpty ? groups.filter { $0.agents.contains("*") } : own
        self.rules = chosen.flatMap(\.rules)
    }

    /// Whether the path (with query) may be fetched.
    func allows(_ path: String) -> Bool {
        if path == "/robots.txt" { return true }
        var best: (length: Int, allow: Bool) = (-1, true)
        for rule in rules where Self.matches(rule.pattern, path) {
            let length = rule.pattern.count
            if length > best.length || (length == best.length && rule.allow) {
                best = (length, rule.allow)
            }
        }
        return best.allow
    }

    /// Prefix match with `*` (any run) and a trailing `$` (end of path).
    static func matches(_ pattern: String, _ path: String) -> Bool {
        var pattern = Substring(pattern)
        let anchored = pattern.hasSuffix("$")
        if anchored { pattern = pattern.dropLast() }
        let pieces = pattern.split(separator: "*", omittingEmptySubsequences: false)
        var rest = Substring(path)
        for (index, piece) in pieces.enumerated() {
            if index == 0 {
                guard rest.hasPrefix(piece) else { return false }
                rest = rest.dropFirst(piece.count)
            } else if piece.isEmpty {
                continue
            } else if index == pieces.count - 1 && anchored {
                return rest.hasSuffix(piece)
            } else if let range = rest.range(of: piece) {
                rest = rest[range.upperBound...]
            } else {
                return false
            }
        }
        return !anchored || rest.isEmpty || pieces.last?.isEmpty == true
    }
}
