import AgentBase
import Assistant
import LLMProviders

/// `assistant`: answers plain chat; the model comes from LLM_PROVIDER and the registry's `assistant` entry, metered per task.
@main
struct AssistantMain {
    static func main() async throws {
        try await ServiceMain.run("assistant") { environment in
            let registry = try AgentRegistry.load(path: environment.registryPath)
            let model = try LanguageModelFactory.metered(environment: environment, agent: "assistant")
            let agent = AssistantAgent(registry: registry, model: model)
            try await AgentApplication(agent: "assistant", environment: environment) { agent.register(&$0) }.runService()
        }
    }
}
