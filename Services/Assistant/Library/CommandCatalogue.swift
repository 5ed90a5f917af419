import AgentBase

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
        public var score: Int
    }

    public let entries: [Entry]

    public init(registry: AgentRegistry) {
        entries = registry.agents.flatMap { agent in agent.commands.map { Entry(agent: agent, command: $0) } }
    }

    /// Commands whose words the text shares, best first; only those scoring at least half the best.
    public func matches(_ text: String) -> [Match] {
        let lowered = text.lowercased()
        let words = WordMatcher.words(lowered).filter { !WordMatcher.stopWords.contains($0) }
        let scored = entries.map { Match(entry: $0, score: score($0, words: words, text: lowered)) }.filter { $0.score > 0 }
        guard let best = scored.map(\.score).max() else { return [] }
        return scored.filter { $0.score * 2 >= best }.sorted { $0.score > $1.score }
    }

    /// Command name 5, a keyword phrase in the text 3 (a one-word keyword 2), the command's description 2,
    /// its arguments and the agent's description 1 — per word of the text.
    private func score(_ entry: Entry, words: [String], text: String) -> Int {
        var score = 0
        let nameParts = entry.command.name.split(separator: "-").map(String.init)
        let description = WordMatcher.words(entry.command.description.lowercased())
        let arguments = WordMatcher.words(entry.command.arguments.map { "\($0.name) \($0.description)" }.joined(separator: " ").lowercased())
        let agentWords = WordMatcher.words(entry.agent.description.lowercased())
        if text.contains("/\(entry.command.name)") { score += 10 }
        for keyword in entry.agent.keywords where keyword.contains(" ") && text.contains(keyword.lowercased()) { score += 3 }
        let singleKeywords = entry.agent.keywords.filter { !$0.contains(" ") }.map { $0.lowercased() }
        for word in words {
            if nameParts.contains(where: { WordMatcher.similar($0, word) }) { score += 5 }
            if singleKeywords.contains(where: { WordMatcher.similar($0, word) }) { score += 2 }
            if description.contains(where: { WordMatcher.similar($0, word) }) { score += 2 }
            if arguments.contains(where: { WordMatcher.similar($0, word) }) || agentWords.contains(where: { WordMatcher.similar($0, word) }) { score += 1 }
        }
        return score
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
