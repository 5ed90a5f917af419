/// One turn of a conversation sent to a language model.
public struct ModelMessage: Codable, Sendable, Hashable {
    /// Who speaks a turn.
    public enum Role: String, Codable, Sendable, Hashable {
        case user
        case assistant
    }

    public var role: Role
    public var text: String

    public init(role: Role, text: String) {
        self.role = role
        self.text = text
    }

    /// A user turn.
    public static func user(_ text: String) -> ModelMessage { ModelMessage(role: .user, text: text) }
}

/// The seam between agents and a model provider: one completion of a conversation under a system prompt.
/// Providers (Anthropic, OpenAI-compatible, Claude CLI) are chosen by `LLM_PROVIDER`; `offline` is the default.
public protocol LanguageModel: Sendable {
    /// The model's answer to `messages` under `system`, as text.
    func complete(system: String, messages: [ModelMessage]) async throws -> String
}

/// A model call that cannot be made, with what to do about it.
public enum LanguageModelError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No provider is configured (`LLM_PROVIDER=offline`, the default).
    case notConfigured

    public var description: String {
        switch self {
        case .notConfigured: return "no model configured (LLM_PROVIDER=offline): set LLM_PROVIDER to anthropic, openai or claude-cli to use a model"
        }
    }
}

/// The model of `LLM_PROVIDER=offline`: every call throws `LanguageModelError.notConfigured`.
public struct OfflineModel: LanguageModel {
    public init() {}

    public func complete(system: String, messages: [ModelMessage]) async throws -> String {
        throw LanguageModelError.notConfigured
    }
}
