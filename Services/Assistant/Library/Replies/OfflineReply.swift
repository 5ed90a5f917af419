import AgentBase

/// The assistant's answer without a model: the commands that match what was written, with their usage lines;
/// the whole command list for a greeting, a call for help, or text that matches nothing.
public struct OfflineReply: Sendable {
    public let catalogue: CommandCatalogue

    public init(catalogue: CommandCatalogue) {
        self.catalogue = catalogue
    }

    private static let greetings: Set<String> = ["hi", "hello", "hey", "hallo", "help", "start", "commands", "command", "menu", "yo", "morning", "thanks", "thank", "options", "usage"]

    public func reply(to text: String, note: String? = nil) -> ChatMessageResult {
        let words = WordMatcher.words(text.lowercased())
        let prefix = note.map { "\($0)\n\n" } ?? ""
        let asksForHelp = !words.isEmpty && words.allSatisfy { Self.greetings.contains($0) || WordMatcher.stopWords.contains($0) }
            || text.lowercased().contains("what can you do")
        let matches = asksForHelp ? [] : catalogue.matches(text)
        guard let best = matches.first else {
            let opening = asksForHelp ? "Hi! Here is what I can do — send one of these commands:" : "I could not tell which command fits \"\(text.prefix(80))\". Here is everything I can do:"
            return ChatMessageResult(reply: prefix + opening + "\n" + list(catalogue.entries))
        }
        var reply = prefix + "That sounds like `/\(best.entry.command.name)`: \(best.entry.command.description)\nUsage: `\(best.entry.command.usage)`"
        let others = matches.dropFirst().prefix(2).map(\.entry)
        if !others.isEmpty { reply += "\n\nOr perhaps:\n" + list(Array(others)) }
        if Self.changesCode(best.entry.command) { reply += "\n\n" + Self.sessionHint }
        return ChatMessageResult(reply: reply, suggestedCommand: best.entry.usage)
    }

    /// What a request for a code change also learns: the conversation itself can become the coding session.
    static let sessionHint = "To work on it turn by turn right here instead, bind this conversation to the repository with `/session <owner/repo>`: then every message is a coding turn on its own branch."

    /// Whether a command writes code (`code.write`, or the `create_pr` workflow).
    static func changesCode(_ command: CommandSpec) -> Bool {
        command.message == CodeWriteRequest.type || command.workflow == "create_pr"
    }

    private func list(_ entries: [CommandCatalogue.Entry]) -> String {
        entries.map { "• \($0.line)" }.joined(separator: "\n")
    }
}
