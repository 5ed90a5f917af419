import AgentBase

/// The web as a chat channel, beside Telegram, Slack and GitHub: answers, progress and results are written into the
/// conversation (`Origin`: channel `web`, chat = the client, thread = the conversation id), where the page reads them.
struct WebChannel: ChatChannel {
    let conversations: WebConversations
    var name: String { "web" }

    func send(_ text: String, to origin: Origin) async throws(ChannelError) -> String? {
        guard let id = origin.thread else { throw .permanent("a web origin names its conversation as its thread") }
        do {
            return String(try await conversations.append(id, role: "assistant", text: text))
        } catch {
            throw .transient("\(error)")
        }
    }

    func update(_ message: String, with text: String, at origin: Origin) async throws(ChannelError) {
        guard let id = origin.thread, let index = Int(message) else { throw .permanent("not a web message: \(message)") }
        do {
            try await conversations.replace(id, at: index, text: text)
        } catch {
            throw .transient("\(error)")
        }
    }

    /// The conversation's origin for a client.
    static func origin(client: String, conversation: String) -> Origin {
        Origin(channel: "web", chat: client, thread: conversation)
    }
}
