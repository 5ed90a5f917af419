import AgentBase
import Assistant
import LLMProviders

/// `assistant`: answers plain chat; the model comes from `LLM_PROVIDER` and the registry, metered per task.
@main
struct AssistantMain {
    static func main() async throws {
        try await ServiceMain.run(AssistantService.self, model: LanguageModelFactory.metered)
    }
}
