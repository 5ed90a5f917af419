import AgentBase
import AsyncHTTPClient
import Foundation
import Sandboxing

/// Builds the model an agent uses from the environment and its registry entry: the provider, wrapped in a
/// `FallbackModel` when a fallback model is set. Wrap the result in `MeteredModel` per task to meter it.
public enum LanguageModelFactory {
    /// The model of the named agent, metered per task (`TaskMeteredModel`): what every agent's `@main` hands to
    /// `ServiceMain.run(_:model:)`.
    public static func metered(environment: SwitchboardEnvironment, agent name: String) throws -> any LanguageModel {
        let registry = try AgentRegistry.load(path: environment.registryPath)
        let base = try make(environment: environment, agent: registry.agent(named: name))
        if base.isOffline { return base }
        return TaskMeteredModel(base: base, ledger: UsageLedger(registry: registry, budget: try UsageBudget(environment: environment)))
    }

    public static func make(environment: SwitchboardEnvironment, agent: AgentEntry?, http: HTTPClient = .shared) throws(ConfigurationError) -> any LanguageModel {
        let selection = try ModelSelection(environment: environment, agent: agent)
        let base = try provider(selection, environment: environment, http: http)
        guard selection.provider != .offline, let fallback = selection.fallbackModel, fallback != selection.model else { return base }
        return FallbackModel(base: base, fallback: fallback)
    }

    private static func provider(_ selection: ModelSelection, environment: SwitchboardEnvironment, http: HTTPClient) throws(ConfigurationError) -> any LanguageModel {
        switch selection.provider {
        case .offline:
            return OfflineModel()
        case .anthropic:
            guard let key = try environment.secret("ANTHROPIC_API_KEY") else {
                throw ConfigurationError(variable: "ANTHROPIC_API_KEY", message: "LLM_PROVIDER=anthropic needs an API key in ANTHROPIC_API_KEY or a file named by ANTHROPIC_API_KEY_FILE")
            }
            return AnthropicModel(baseURL: environment.value("ANTHROPIC_BASE_URL") ?? AnthropicModel.defaultBaseURL, apiKey: key, model: try model(selection), settings: try HTTPModelSettings(environment: environment), http: http)
        case .openai:
            return OpenAIModel(baseURL: environment.value("OPENAI_BASE_URL") ?? OpenAIModel.defaultBaseURL, apiKey: try environment.secret("OPENAI_API_KEY"), model: try model(selection), settings: try HTTPModelSettings(environment: environment), http: http)
        case .claudeCLI:
            var timeout = Duration.seconds(600)
            if let text = environment.value("CLAUDE_CLI_TIMEOUT") {
                guard let value = DurationParser.parse(text), value > .zero else { throw ConfigurationError(variable: "CLAUDE_CLI_TIMEOUT", message: "'\(text)' is not a positive duration such as 600, 90s or 10m") }
                timeout = value
            }
            // The CLI's model key and API base, and nothing else of ours (never the forge token): the sandbox gives it a
            // clean PATH, HOME and locale.
            var passed: [String: String] = [:]
            if let key = try environment.secret("ANTHROPIC_API_KEY") { passed["ANTHROPIC_API_KEY"] = key }
            if let base = environment.value("ANTHROPIC_BASE_URL") { passed["ANTHROPIC_BASE_URL"] = base }
            let sandbox = try SandboxConfiguration(environment: environment).sandbox(scratch: URL(fileURLWithPath: environment.workspaceDirectory, isDirectory: true))
            return ClaudeCLIModel(executable: environment.value("CLAUDE_CLI") ?? "claude", model: selection.model, timeout: timeout, defaultDirectory: environment.workspaceDirectory, environment: passed, sandbox: sandbox)
        }
    }

    private static func model(_ selection: ModelSelection) throws(ConfigurationError) -> String {
        guard let model = selection.model else {
            throw ConfigurationError(variable: "LLM_MODEL", message: "LLM_PROVIDER=\(selection.provider.rawValue) needs a model: set the agent's `model` in the registry or LLM_MODEL")
        }
        return model
    }
}
