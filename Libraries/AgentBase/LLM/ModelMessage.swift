/// One part of a model turn: text, an image, a tool call the model makes, or the result the caller sends back.
public enum ModelContent: Sendable, Hashable {
    case text(String)
    /// An image for the model to look at (a user turn's): PNG, JPEG, GIF or WebP bytes, named as they were sent.
    case image(name: String, mediaType: String, bytes: [UInt8])
    /// The model asks to run tool `name` with `input`; answer with a `.toolResult` carrying the same `id`.
    case toolUse(id: String, name: String, input: JSONValue)
    /// The outcome of a tool call, sent in the next user turn.
    case toolResult(id: String, content: String, isError: Bool)
}

/// One turn of a conversation sent to a language model.
public struct ModelMessage: Sendable, Hashable {
    /// Who speaks a turn.
    public enum Role: String, Codable, Sendable, Hashable {
        case user
        case assistant
    }

    public var role: Role
    public var content: [ModelContent]

    public init(role: Role, content: [ModelContent]) {
        self.role = role
        self.content = content
    }

    public init(role: Role, text: String) {
        self.init(role: role, content: [.text(text)])
    }

    /// A user turn of plain text.
    public static func user(_ text: String) -> ModelMessage { ModelMessage(role: .user, text: text) }
    /// An assistant turn of plain text.
    public static func assistant(_ text: String) -> ModelMessage { ModelMessage(role: .assistant, text: text) }

    /// The text parts joined.
    public var text: String {
        content.compactMap { if case .text(let text) = $0 { return text } else { return nil } }.joined()
    }
}
