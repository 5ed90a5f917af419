import AgentBase
import Foundation

/// What the assistant tells the model (its role and the registry's commands) and how it reads the answer
/// (a last line `COMMAND: /…` is the suggested command).
public enum AssistantPrompt {
    public static func system(_ catalogue: CommandCatalogue) -> String {
        """
        You are Switchboard's assistant, answering in a chat. Be brief and concrete.
        Switchboard runs agents through these chat commands:
        \(catalogue.entries.map { "- \($0.command.usage) — \($0.command.description)" }.joined(separator: "\n"))
        - /session <owner/repo> [base] — Make this conversation a coding session on a repository: every later message is a coding turn on its own branch (/diff, /undo, /pr, /end).

        When one of these commands does what the user asks, say so and end your reply with one last line
        `COMMAND: <the complete command line>`, filled in with the user's values where you know them.
        Otherwise answer normally and add no COMMAND line.
        """
    }

    /// The conversation as model turns: the context (oldest first), then the new text; turns of one speaker in a
    /// row are joined and a leading assistant turn is dropped, as providers expect alternating turns from the user.
    public static func messages(context: [ChatTurn], text: String) -> [ModelMessage] {
        var messages: [ModelMessage] = []
        for turn in context + [ChatTurn(role: "user", text: text)] where !turn.text.isEmpty {
            let role: ModelMessage.Role = turn.role == "assistant" ? .assistant : .user
            if messages.isEmpty, role == .assistant { continue }
            if let last = messages.last, last.role == role {
                messages[messages.count - 1] = ModelMessage(role: role, text: last.text + "\n\n" + turn.text)
            } else {
                messages.append(ModelMessage(role: role, text: turn.text))
            }
        }
        return messages
    }

    /// Splits the model's answer into the reply and the suggested command (only one of the catalogue's commands).
    public static func result(from answer: String, catalogue: CommandCatalogue) -> ChatMessageResult {
        var lines = answer.trimmingCharacters(in: .whitespacesAndNewlines).components(separatedBy: "\n")
        var suggestion: String?
        if let index = lines.lastIndex(where: { $0.trimmingCharacters(in: .whitespaces).uppercased().hasPrefix("COMMAND:") }) {
            let value = lines[index].trimmingCharacters(in: .whitespaces).dropFirst("COMMAND:".count).trimmingCharacters(in: CharacterSet(charactersIn: " `"))
            let name = value.dropFirst().prefix { $0 != " " }
            if value.hasPrefix("/"), catalogue.entries.contains(where: { $0.command.name == name }) { suggestion = value }
            lines.remove(at: index)
        }
        let reply = lines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        return ChatMessageResult(reply: reply.isEmpty ? (suggestion.map { "Try `\($0)`." } ?? "…") : reply, suggestedCommand: suggestion)
    }
}
