/// `chat.message`: a plain chat message for the assistant; the envelope's `conversation` carries the context key.
public struct ChatMessageRequest: AgentMessage, Hashable {
    public typealias Result = ChatMessageResult
    public static let type = "chat.message"

    /// What the person wrote.
    public var text: String
    /// The conversation's earlier messages, oldest first (the gateway adds up to 20 from `sb:conv:<conversation>`).
    public var context: [ChatTurn]?

    enum CodingKeys: String, CodingKey {
        case text
        case context
    }

    public init(text: String, context: [ChatTurn]? = nil) {
        self.text = text
        self.context = context
    }
}

/// One earlier message of a conversation: who said it and what.
public struct ChatTurn: Codable, Sendable, Hashable {
    /// `user` or `assistant`.
    public var role: String
    public var text: String
    /// ISO-8601 time, when known.
    public var at: String?

    public init(role: String, text: String, at: String? = nil) {
        self.role = role
        self.text = text
        self.at = at
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
