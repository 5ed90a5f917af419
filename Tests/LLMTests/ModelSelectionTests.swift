import AgentBase
import Foundation
@testable import LLMProviders
import SwitchboardTesting
import Testing

/// Provider and model choice from the environment and the registry, the price table, and users from sources.
@Suite struct ModelSelectionTests {
    static let entry = AgentEntry(name: "assistant", consumes: ["chat.message"], model: "claude-sonnet-4-5", fallbackModel: "claude-haiku-4-5")

    @Test("offline by default; the registry's model unless LLM_MODEL; the fallback wraps the provider")
    func selection() throws {
        #expect(try LanguageModelFactory.make(environment: SwitchboardEnvironment([:]), agent: Self.entry) is OfflineModel)
        let registryModel = try ModelSelection(environment: SwitchboardEnvironment(["LLM_PROVIDER": "anthropic"]), agent: Self.entry)
        #expect(registryModel == ModelSelection(provider: .anthropic, model: "claude-sonnet-4-5", fallbackModel: "claude-haiku-4-5"))
        let overridden = try ModelSelection(environment: SwitchboardEnvironment(["LLM_PROVIDER": "openai", "LLM_MODEL": "local-model"]), agent: Self.entry)
        #expect(overridden.model == "local-model" && overridden.provider == .openai)
        let model = try LanguageModelFactory.make(environment: SwitchboardEnvironment(["LLM_PROVIDER": "anthropic", "ANTHROPIC_API_KEY": "k"]), agent: Self.entry)
        #expect((model as? FallbackModel)?.fallback == "claude-haiku-4-5")
        #expect(model.identity == "anthropic/claude-sonnet-4-5")
        let cli = try LanguageModelFactory.make(environment: SwitchboardEnvironment(["LLM_PROVIDER": "claude-cli", "LLM_FALLBACK_MODEL": "claude-sonnet-4-5"]), agent: Self.entry)
        #expect(cli is ClaudeCLIModel)
    }

    @Test("configuration mistakes name the variable")
    func mistakes() {
        #expect(throws: ConfigurationError.self) { try ModelSelection(environment: SwitchboardEnvironment(["LLM_PROVIDER": "gpt"]), agent: nil) }
        let noKey = #expect(throws: ConfigurationError.self) { try LanguageModelFactory.make(environment: SwitchboardEnvironment(["LLM_PROVIDER": "anthropic"]), agent: Self.entry) }
        #expect(noKey?.variable == "ANTHROPIC_API_KEY")
        let noModel = #expect(throws: ConfigurationError.self) { try LanguageModelFactory.make(environment: SwitchboardEnvironment(["LLM_PROVIDER": "openai"]), agent: nil) }
        #expect(noModel?.variable == "LLM_MODEL")
        let badBudget = #expect(throws: ConfigurationError.self) { try UsageBudget(environment: SwitchboardEnvironment(["LLM_BUDGET_USER_USD": "ten"])) }
        #expect(badBudget?.variable == "LLM_BUDGET_USER_USD")
        #expect(throws: ConfigurationError.self) { try HTTPModelSettings(environment: SwitchboardEnvironment(["LLM_TIMEOUT": "soon"])) }
    }

    @Test("the registry's price table: parsed, priced by longest prefix, and a bad entry names its line")
    func prices() throws {
        let registry = try AgentRegistry.load(path: RepositoryPaths.registry.path)
        #expect(registry.agent(named: "assistant")?.model != nil)
        #expect(!registry.prices.isEmpty)
        let yaml = """
        version: 1
        prices:
          claude-sonnet-4-5: {input_per_mtok: 3, output_per_mtok: 15}
          claude-sonnet-4-5-big: {input_per_mtok: 6, output_per_mtok: 22.5}
        agents:
          - name: assistant
            consumes: [chat.message]
            model: claude-sonnet-4-5
            fallback_model: claude-haiku-4-5
        """
        let parsed = try AgentRegistry.parse(yaml)
        #expect(parsed.agents[0].fallbackModel == "claude-haiku-4-5")
        #expect(parsed.price(of: "claude-sonnet-4-5-20250929")?.inputPerMTok == 3)
        #expect(parsed.price(of: "claude-sonnet-4-5-big-1")?.outputPerMTok == 22.5)
        #expect(parsed.price(of: "gpt-x") == nil)
        #expect(ModelPrice(inputPerMTok: 3, outputPerMTok: 15).cost(tokensIn: 1_000_000, tokensOut: 100_000) == 4.5)
        let bad = yaml.replacingOccurrences(of: "output_per_mtok: 22.5", with: "output_per_mtok: lots")
        let error = #expect(throws: RegistryError.self) { try AgentRegistry.parse(bad) }
        #expect(error?.description.contains("agents.yaml:4") == true)
        #expect(error?.description.contains("prices.claude-sonnet-4-5-big.output_per_mtok") == true)
        let missing = yaml.replacingOccurrences(of: "input_per_mtok: 3, ", with: "")
        #expect(throws: RegistryError.self) { try AgentRegistry.parse(missing) }
    }

    @Test("the user of a source: chats as they are, Slack without the thread, GitHub without the number")
    func users() {
        #expect(UsageScope.user(fromSource: "telegram:42") == "telegram:42")
        #expect(UsageScope.user(fromSource: "slack:T1/C2/1700000000.1") == "slack:T1/C2")
        #expect(UsageScope.user(fromSource: "github:example-org/example-repo#7") == "github:example-org/example-repo")
        #expect(UsageScope.user(fromSource: "api:ci") == "api:ci")
    }
}
