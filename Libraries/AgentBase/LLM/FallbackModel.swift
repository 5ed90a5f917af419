/// Tries a second model once when the first fails with a retryable error (after the provider's own retries).
public struct FallbackModel: LanguageModel {
    public let base: any LanguageModel
    /// The model name asked for on the second try.
    public let fallback: String

    public init(base: any LanguageModel, fallback: String) {
        self.base = base
        self.fallback = fallback
    }

    public var identity: String { base.identity }
    public var editsWorkingDirectory: Bool { base.editsWorkingDirectory }

    public func respond(to request: ModelRequest, onEvent: @escaping @Sendable (ModelEvent) async -> Void) async throws -> ModelResponse {
        do {
            return try await base.respond(to: request, onEvent: onEvent)
        } catch let error as LanguageModelError where error.isRetryable && request.model != fallback {
            await onEvent(.status("\(error); trying the fallback model \(fallback)"))
            var retry = request
            retry.model = fallback
            return try await base.respond(to: retry, onEvent: onEvent)
        }
    }
}
