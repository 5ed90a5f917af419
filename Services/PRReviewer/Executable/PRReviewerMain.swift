import AgentBase
import LLMProviders
import PRReviewer

/// `pr-reviewer`: reviews pull requests and pairs of refs. Configuration comes from the environment; the model
/// (optional: the rules always run) from `LLM_PROVIDER` and the registry.
@main
struct PRReviewerMain {
    static func main() async throws {
        try await ServiceMain.run(PRReviewerService.self, model: LanguageModelFactory.metered)
    }
}
