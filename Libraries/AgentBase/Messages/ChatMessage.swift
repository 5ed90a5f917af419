/// `chat.message`: a plain chat message for the assistant; the envelope's `conversation` carries the context key.
public struct ChatMessageRequest: AgentMessage, Hashable {
    public typealias Result = ChatMessageResult
    public static let type = "chat.message"

    /// What the person wrote.
    public var text: String

    enum CodingKeys: String, CodingKey {
        case text
    }

    public init(text: String) {
        self.text = text
    }
}

/// The result of `chat.message`: the reply, and a slash command when one would do what was asked.
public struct ChatMessageResult: Codable, Sendable, Hashable {
    /// The assistant's reply.
    public var reply: String
    /// A complete command line to suggest, e.g. `/review example-org/example-repo 42`.
    public var suggestedCommand: String?

    enum CodingKeys: String, CodingKey {
        case reply
        case suggestedCommand = "suggested_command"
    }

    public init(reply: String, suggestedCommand: String? = nil) {
        self.reply = reply
        self.suggestedCommand = suggestedCommand
    }
}
