import AgentBase

/// Which provider and model an agent uses: `LLM_PROVIDER` (default `offline`), the registry entry's `model`
/// overridden by `LLM_MODEL`, and its `fallback_model` overridden by `LLM_FALLBACK_MODEL`.
public struct ModelSelection: Sendable, Hashable {
    /// The providers `LLM_PROVIDER` names.
    public enum Provider: String, Sendable, Hashable, CaseIterable {
        case offline
        case anthropic
        case openai
        case claudeCLI = "claude-cli"
    }

    public var provider: Provider
    public var model: String?
    public var fallbackModel: String?

    public init(provider: Provider, model: String? = nil, fallbackModel: String? = nil) {
        self.provider = provider
        self.model = model
        self.fallbackModel = fallbackModel
    }

    public init(environment: SwitchboardEnvironment, agent: AgentEntry?) throws(ConfigurationError) {
        let name = environment.value("LLM_PROVIDER")?.lowercased() ?? Provider.offline.rawValue
        guard let provider = Provider(rawValue: name) else {
            throw ConfigurationError(variable: "LLM_PROVIDER", message: "'\(name)' is not a provider; use one of \(Provider.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self.init(provider: provider, model: environment.value("LLM_MODEL") ?? agent?.model, fallbackModel: environment.value("LLM_FALLBACK_MODEL") ?? agent?.fallbackModel)
    }
}
