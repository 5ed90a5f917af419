import AgentBase
import GitKit

/// What the model is told in a coding session: its job and the repository's own instructions (system), then the
/// session's earlier turns, bounded, the conversation's recent messages, and the person's text.
enum SessionPrompt {
    /// The answer of a bound conversation when no model is configured.
    static let noModel = """
    Coding turns need a model, and none is configured here (LLM_PROVIDER=offline). Ask the operator to set LLM_PROVIDER \
    to anthropic, openai or claude-cli for code-writer. Meanwhile /session shows this session, /diff its branch, /undo \
    reverts its last turn, /pr opens its pull request, /end ends it, and the other agents' commands work as before (/help lists them).
    """

    /// The repository's instruction files, read from the root of the work tree when present.
    static let instructionFiles = ["AGENTS.md", "CLAUDE.md"]
    /// Most characters of one instruction file the model sees.
    static let maxInstructionCharacters = 20_000
    /// The newest turns are given in full (each side cut at `maxTurnCharacters`); older ones as one line each, at most
    /// `maxListedTurns` in all, so a long session never overflows the model's context.
    static let fullTurns = 6
    static let maxListedTurns = 30
    static let maxTurnCharacters = 2_000
    static let summaryCharacters = 160
    /// The conversation's recent messages shown with a turn, one line each.
    static let maxContextMessages = 10

    static func system(instructions: [(path: String, text: String)]) -> String {
        var text = """
        You are code-writer in a coding session held in a chat conversation: each message is a turn, and you work on the \
        session's branch of a git repository. Work only through the tools: list_files, read_file, search, write_file \
        (whole files), run_tests, read_attachment (files the person sent, when there are any) and send_file (a file for \
        the person, instead of pasting long text into your reply). Paths are relative to the repository root; you cannot leave it. Keep changes small \
        and in the style of the code around them. What you write is committed and pushed when the turn ends; a turn that \
        only asks a question needs no change.
        When you are done, answer without calling a tool: a short reply for the chat saying what you did (or the answer).
        """
        for (path, content) in instructions {
            text += "\n\nThe repository's instructions in \(path):\n" + cut(content, to: maxInstructionCharacters)
        }
        return text
    }

    /// The instruction files of the work tree that exist, in `instructionFiles` order, then the `instructions` of its
    /// `.switchboard.yml` (a file the model cannot use is named as such rather than failing the turn).
    static func instructions(in worktree: Worktree) async -> [(path: String, text: String)] {
        var found: [(path: String, text: String)] = []
        for path in instructionFiles {
            if let text = try? await worktree.read(path), !text.isEmpty { found.append((path, text)) }
        }
        if let config = try? await worktree.read(RepositoryInstructions.fileName) {
            do {
                if let text = try RepositoryInstructions().parse(config), !text.isEmpty { found.append(("\(RepositoryInstructions.fileName) (instructions)", text)) }
            } catch {
                found.append((RepositoryInstructions.fileName, "(could not be read: \(error); tell the person so they can fix it)"))
            }
        }
        return found
    }

    /// The first message: the earlier turns, the files sent, and the text of this turn.
    static func opening(_ request: SessionTurnRequest, earlier: [SessionHistory.Turn], attachments: TurnAttachmentFolder? = nil) -> ModelMessage {
        var sections: [String] = []
        if !earlier.isEmpty { sections.append("Earlier turns of this session, oldest first:\n" + history(earlier)) }
        let chat = (request.context ?? []).filter { $0.text != request.text }.suffix(maxContextMessages)
        if !chat.isEmpty {
            sections.append("Recent messages of this conversation, oldest first:\n" + chat.map { "- \($0.role): \(oneLine($0.text))" }.joined(separator: "\n"))
        }
        if let attachments {
            sections.append("Files sent with this turn (read text files with read_attachment; images are shown below):\n" + attachments.description)
        } else if let named = request.attachments, !named.isEmpty {
            sections.append("Files named with this turn (not readable: they were not kept): " + named.map(\.name).joined(separator: ", "))
        }
        sections.append("This turn:\n" + request.text)
        return ModelMessage(role: .user, content: [.text(sections.joined(separator: "\n\n"))] + (attachments?.images ?? []))
    }

    /// The turns as text: the last `fullTurns` in full, older ones (up to `maxListedTurns` in all) one line each.
    static func history(_ turns: [SessionHistory.Turn]) -> String {
        let listed = turns.suffix(maxListedTurns)
        let fullFrom = listed.count - min(fullTurns, listed.count)
        var lines: [String] = []
        if turns.count > listed.count { lines.append("(\(turns.count - listed.count) older turns not shown)") }
        for (index, turn) in listed.enumerated() {
            let commit = turn.commit.map { " [commit \($0.prefix(12))]" } ?? ""
            if index < fullFrom {
                lines.append("- asked: \(oneLine(turn.text)) — answered: \(oneLine(turn.reply))\(commit)")
            } else {
                lines.append("- asked:\n\(cut(turn.text, to: maxTurnCharacters))\n  answered\(commit):\n\(cut(turn.reply, to: maxTurnCharacters))")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// `text` on one line, cut at `summaryCharacters`.
    static func oneLine(_ text: String) -> String {
        cut(text.split(whereSeparator: \.isNewline).joined(separator: " "), to: summaryCharacters)
    }

    private static func cut(_ text: String, to limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit)) + "… (cut)"
    }
}
