/// A tool the model may call: a name, what it does, and a JSON Schema of its input.
public struct ModelTool: Sendable, Hashable {
    public var name: String
    public var description: String
    public var inputSchema: JSONValue

    public init(name: String, description: String, inputSchema: JSONValue) {
        self.name = name
        self.description = description
        self.inputSchema = inputSchema
    }
}

/// Everything one model turn needs.
public struct ModelRequest: Sendable, Hashable {
    public var system: String
    public var messages: [ModelMessage]
    public var tools: [ModelTool]
    public var maxTokens: Int
    /// Overrides the provider's configured model for this call.
    public var model: String?
    /// Where a provider that acts on files (`claude-cli`) works: the task's worktree. Others ignore it.
    public var workingDirectory: String?
    /// Folders such a provider may read but not write (the files sent with a session's turn). Others ignore them.
    public var readOnlyDirectories: [String] = []
    /// A conversation of the provider's own to continue (the Claude CLI's session, `--resume`), with the folder
    /// that keeps it between runs. Providers without one ignore it.
    public var resume: ProviderSession?

    public init(system: String, messages: [ModelMessage], tools: [ModelTool] = [], maxTokens: Int = 4096, model: String? = nil) {
        self.system = system
        self.messages = messages
        self.tools = tools
        self.maxTokens = maxTokens
        self.model = model
    }
}

/// A provider's own conversation: its id (nil to start one) and the folder its state is kept in between runs.
public struct ProviderSession: Sendable, Hashable {
    public var id: String?
    public var stateDirectory: String

    public init(id: String?, stateDirectory: String) {
        self.id = id
        self.stateDirectory = stateDirectory
    }
}

/// The model's turn: its content, why it stopped, and what it cost.
public struct ModelResponse: Sendable, Hashable {
    /// Why the model stopped.
    public enum StopReason: Sendable, Hashable {
        case endTurn
        case toolUse
        case maxTokens
        case other(String)
    }

    public var content: [ModelContent]
    public var stopReason: StopReason
    /// The model that answered (the provider's name for it).
    public var model: String
    public var tokensIn: Int
    public var tokensOut: Int
    /// The cost the provider reported itself (the Claude CLI does); otherwise the ledger prices the tokens.
    public var costUSD: Double?
    /// The provider's own conversation this answer belongs to (the Claude CLI's session id), to resume it.
    public var session: String?

    public init(content: [ModelContent], stopReason: StopReason, model: String, tokensIn: Int = 0, tokensOut: Int = 0) {
        self.content = content
        self.stopReason = stopReason
        self.model = model
        self.tokensIn = tokensIn
        self.tokensOut = tokensOut
    }

    /// The text parts joined.
    public var text: String { ModelMessage(role: .assistant, content: content).text }

    /// The tool calls of this turn, in order.
    public var toolUses: [(id: String, name: String, input: JSONValue)] {
        content.compactMap { if case .toolUse(let id, let name, let input) = $0 { return (id, name, input) } else { return nil } }
    }
}
