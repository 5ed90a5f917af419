/// The seam between agents and a model provider: one model turn (text and tool calls) for a request,
/// with streaming events for progress. Providers (`anthropic`, `openai`, `claude-cli`) are chosen by
/// `LLM_PROVIDER`; `offline`, the default, makes no call and says so.
public protocol LanguageModel: Sendable {
    /// Provider and model for logs and the usage ledger, e.g. `anthropic/<model>`; `offline` for none.
    var identity: String { get }

    /// Whether the provider edits the request's `workingDirectory` with tools of its own (the Claude CLI) instead of
    /// returning tool calls: its changes must then be taken from the work tree.
    var editsWorkingDirectory: Bool { get }

    /// One turn: the model's answer to the request; `onEvent` hears streamed text and tool calls as they come.
    func respond(to request: ModelRequest, onEvent: @escaping @Sendable (ModelEvent) async -> Void) async throws -> ModelResponse
}

extension LanguageModel {
    /// Whether this is the offline model (directly or wrapped): no call can be made.
    public var isOffline: Bool { identity == OfflineModel.identity }

    /// Providers answer with tool calls unless they say otherwise.
    public var editsWorkingDirectory: Bool { false }

    /// One turn without streaming events.
    public func respond(to request: ModelRequest) async throws -> ModelResponse {
        try await respond(to: request, onEvent: { _ in })
    }

    /// The text of one turn for a plain conversation (no tools).
    public func complete(system: String, messages: [ModelMessage]) async throws -> String {
        try await respond(to: ModelRequest(system: system, messages: messages)).text
    }
}

/// What a provider streams while it answers.
public enum ModelEvent: Sendable, Hashable {
    /// A piece of the answer's text.
    case text(String)
    /// The model started a tool call.
    case toolUse(name: String)
    /// A provider-specific step worth showing as progress (a Claude CLI event, a retry after 429).
    case status(String)
}

/// A model call that cannot be made or did not work, with what to do about it.
public enum LanguageModelError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No provider is configured (`LLM_PROVIDER=offline`, the default).
    case notConfigured
    /// The budget of a user or agent would be exceeded; no call was made.
    case overBudget(String)
    /// The provider answered with an error status.
    case http(status: Int, message: String)
    /// The provider did not answer in time.
    case timedOut(seconds: Int)
    /// The answer could not be read.
    case invalidResponse(String)
    /// The Claude CLI failed.
    case cli(String)
    /// The provider could not be reached (connection refused, DNS, TLS).
    case unreachable(String)

    public var description: String {
        switch self {
        case .notConfigured: return "no model configured (LLM_PROVIDER=offline): set LLM_PROVIDER to anthropic, openai or claude-cli to use a model"
        case .overBudget(let message): return "over budget: \(message)"
        case .http(let status, let message): return "the model provider answered HTTP \(status): \(message)"
        case .timedOut(let seconds): return "the model provider did not answer within \(seconds) s"
        case .invalidResponse(let message): return "the model's answer could not be read: \(message)"
        case .cli(let message): return "the Claude CLI failed: \(message)"
        case .unreachable(let message): return "the model provider could not be reached: \(message)"
        }
    }

    /// Whether trying again later can help.
    public var isRetryable: Bool {
        switch self {
        case .http(let status, _): return status == 429 || status >= 500
        case .timedOut, .unreachable: return true
        default: return false
        }
    }
}

/// The model of `LLM_PROVIDER=offline`: every call throws `LanguageModelError.notConfigured`.
public struct OfflineModel: LanguageModel {
    public init() {}

    /// The identity of the offline model.
    public static let identity = "offline"

    public var identity: String { Self.identity }

    public func respond(to request: ModelRequest, onEvent: @escaping @Sendable (ModelEvent) async -> Void) async throws -> ModelResponse {
        throw LanguageModelError.notConfigured
    }
}
