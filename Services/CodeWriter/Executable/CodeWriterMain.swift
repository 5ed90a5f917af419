import AgentBase
import CodeWriter

/// `code-writer`: turns `code.write` specs into branches, tests and pull requests. Configuration comes from the environment.
@main
struct CodeWriterMain {
    static func main() async throws {
        try await ServiceMain.run(CodeWriter.agent) { environment in
            // The one place the model is chosen: OfflineModel until the LLM providers land, then the provider factory
            // for LLM_PROVIDER / LLM_MODEL goes here. Explicit edits work without a model.
            let model: any LanguageModel = OfflineModel()
            try await CodeWriter.application(environment: environment, model: model).runService()
        }
    }
}
