import AgentBase
import Logging

/// The `assistant` agent: answers `chat.message` with the conversation as context. With a model it answers and
/// names a fitting command; without one (or when the model fails) it matches the text against the registry's
/// commands and shows their usage.
public struct AssistantService: SwitchboardService, Sendable {
    public static let name = "assistant"

    public let catalogue: CommandCatalogue
    private let model: any LanguageModel
    private let offline: OfflineReply

    /// `model` as every agent gets it: metered per task (`LanguageModelFactory.metered`, `TaskMeteredModel`).
    public init(registry: AgentRegistry, model: any LanguageModel) {
        self.catalogue = CommandCatalogue(registry: registry)
        self.model = model
        self.offline = OfflineReply(catalogue: catalogue)
    }

    /// The application the `assistant` executable runs: the registry's commands, and `model` (metered per task).
    public static func application(environment: SwitchboardEnvironment, model: any LanguageModel, logger: Logger) throws -> AgentApplication {
        let assistant = AssistantService(registry: try AgentRegistry.load(path: environment.registryPath), model: model)
        return try AgentApplication(agent: name, environment: environment, logger: logger) { assistant.register(&$0) }
    }

    /// Registers the `chat.message` handler.
    public func register(_ handlers: inout AgentHandlers) {
        handlers.on(ChatMessageRequest.self) { request, context in
            try await reply(to: request, context: context)
        }
    }

    public func reply(to request: ChatMessageRequest, context: TaskContext) async throws -> ChatMessageResult {
        if model.isOffline { return offline.reply(to: request.text) }
        let modelRequest = ModelRequest(system: AssistantPrompt.system(catalogue), messages: AssistantPrompt.messages(context: request.context ?? [], text: request.text), maxTokens: 1024)
        do {
            let response = try await model.respond(to: modelRequest) { event in
                if case .status(let note) = event { await context.progress(note) }
            }
            return AssistantPrompt.result(from: response.text, catalogue: catalogue)
        } catch let error as LanguageModelError {
            context.logger.warning("model failed; answering from the command list", metadata: ["error": "\(error)"])
            return offline.reply(to: request.text, note: "(No model answer: \(error).)")
        }
    }
}
