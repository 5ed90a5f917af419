import AgentBase
import CodeWriter
import LLMProviders

/// `code-writer`: turns `code.write` specs into branches, tests and pull requests. Configuration comes from the
/// environment; the model from `LLM_PROVIDER` and the registry (explicit edits work without one).
@main
struct CodeWriterMain {
    static func main() async throws {
        try await ServiceMain.run(CodeWriterService.self, model: LanguageModelFactory.metered)
    }
}
