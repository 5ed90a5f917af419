import AgentBase
import Foundation

/// The registry's chat commands as something to search: each command with its agent's words, scored against
/// what someone wrote by simple word matching (no model needed).
public struct CommandCatalogue: Sendable {
    /// One command and what it is matched on.
    public struct Entry: Sendable, Hashable {
        public var agent: AgentEntry
        public var command: CommandSpec

        /// The usage line's first form (`/review <owner/repo> <number>` of `… | /review <pr-url>`).
        public var usage: String {
            String(command.usage.components(separatedBy: " | ").first ?? command.usage)
        }

        /// `usage — description` for lists.
        public var line: String {
            command.description.isEmpty ? "`\(command.usage)`" : "`\(command.usage)` — \(command.description)"
        }
    }

    /// A command and how well it matched.
    public struct Match: Sendable, Hashable {
        public var entry: Entry
        public var score: Double
    }

    public let entries: [Entry]
    /// Per command, its words with their weights: name 5, description 3, the agent's one-word keywords 2,
    /// argument names and descriptions and the agent's description 1.
    private let terms: [[String: Double]]

    public init(registry: AgentRegistry) {
        entries = registry.agents.flatMap { agent in agent.commands.map { Entry(agent: agent, command: $0) } }
        terms = entries.map { entry in
            var terms: [String: Double] = [:]
            func add(_ text: String, _ weight: Double) {
                for word in WordMatcher.words(text.lowercased()) where !WordMatcher.stopWords.contains(word) { terms[word] = max(terms[word] ?? 0, weight) }
            }
            add(entry.agent.description, 1)
            add(entry.command.arguments.map { "\($0.name) \($0.description)" }.joined(separator: " "), 1)
            add(entry.agent.keywords.filter { !$0.contains(" ") }.joined(separator: " "), 2)
            add(entry.command.description, 3)
            add(entry.command.name.replacingOccurrences(of: "-", with: " "), 5)
            return terms
        }
    }

    /// Commands whose words the text shares, best first; only those scoring at least half the best. Each word of
    /// the text adds its best weight in a command, scaled by how few commands name or describe it (`branch` says less
    /// than `prune`); a multi-word keyword found in the text adds 3, `/name` itself 10.
    public func matches(_ text: String) -> [Match] {
        let lowered = text.lowercased()
        let words = WordMatcher.words(lowered).filter { !WordMatcher.stopWords.contains($0) }
        var scores = entries.indices.map { index -> Double in
            let entry = entries[index]
            var score = lowered.contains("/\(entry.command.name)") ? 10.0 : 0
            score += Double(entry.agent.keywords.filter { $0.contains(" ") && lowered.contains($0.lowercased()) }.count * 3)
            return score
        }
        for word in words {
            let weights = terms.map { terms in terms.filter { WordMatcher.similar($0.key, word) }.values.max() ?? 0 }
            // How many commands say the word themselves (name or description); an agent's keyword, shared by all of
            // its commands, does not make the word commoner (else every new command of an agent dilutes it).
            let own = weights.filter { $0 >= 3 }.count
            let spread = own > 0 ? own : weights.filter { $0 > 0 }.count
            guard spread > 0 else { continue }
            for index in scores.indices { scores[index] += weights[index] * Double(entries.count) / Double(spread) }
        }
        let scored = zip(entries, scores).map { Match(entry: $0, score: $1) }.filter { $0.score > 0 }
        guard let best = scored.map(\.score).max() else { return [] }
        return scored.filter { $0.score * 2 >= best }.sorted { $0.score > $1.score }
    }
}

/// Word splitting and a forgiving word comparison (`merging` ≈ `merge`, `branches` ≈ `branch`).
enum WordMatcher {
    static let stopWords: Set<String> = [
        "a", "an", "the", "to", "of", "and", "or", "in", "on", "at", "for", "with", "from", "by", "into", "onto", "is", "are", "be",
        "it", "its", "this", "that", "these", "those", "i", "me", "my", "we", "our", "you", "your", "can", "could", "would", "should",
        "will", "please", "pls", "do", "does", "want", "wanna", "like", "need", "some", "all", "any", "there", "here", "how", "what",
        "which", "who", "why", "when", "where", "get", "make", "let", "us", "just", "about", "up", "out", "one", "new",
    ]

    static func words(_ text: String) -> [String] {
        text.split { !($0.isLetter || $0.isNumber) }.map(String.init)
    }

    /// Equal, or (for words of 4 letters or more) sharing a stem: a common start of 4+ letters that leaves at
    /// most 2 letters of the shorter word.
    static func similar(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
        guard a.count >= 4, b.count >= 4 else { return false }
        let common = zip(a, b).prefix { $0 == $1 }.count
        return common >= 4 && common >= min(a.count, b.count) - 2
    }
}
