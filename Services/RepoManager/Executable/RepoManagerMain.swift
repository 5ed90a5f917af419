import AgentBase
import LLMProviders
import RepoManager

/// `repo-manager`: git operations on repositories (`repo.*`). Configuration comes from the environment; the model for
/// strategy `llm` from `LLM_PROVIDER` and the registry.
@main
struct RepoManagerMain {
    static func main() async throws {
        try await ServiceMain.run(RepoManagerService.self, model: LanguageModelFactory.metered)
    }
}
