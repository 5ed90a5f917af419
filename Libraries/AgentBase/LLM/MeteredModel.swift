import Logging

/// A model whose every call is checked against the budget first and recorded in the usage ledger after,
/// so metering is not each agent's job: wrap the provider once per task.
public struct MeteredModel: LanguageModel {
    public let base: any LanguageModel
    public let ledger: UsageLedger
    public let scope: UsageScope
    private let tasks: any TaskStore
    private let keys: KeySpace
    private let logger: Logger

    public init(base: any LanguageModel, ledger: UsageLedger, scope: UsageScope, tasks: any TaskStore, keys: KeySpace, logger: Logger) {
        self.base = base
        self.ledger = ledger
        self.scope = scope
        self.tasks = tasks
        self.keys = keys
        self.logger = logger
    }

    /// The model metered for a running task (its agent, conversation and user).
    public init(base: any LanguageModel, ledger: UsageLedger, context: TaskContext) {
        self.init(base: base, ledger: ledger, scope: UsageScope(context: context), tasks: context.bus.tasks, keys: context.bus.keys, logger: context.logger)
    }

    public var identity: String { base.identity }
    public var editsWorkingDirectory: Bool { base.editsWorkingDirectory }

    public func respond(to request: ModelRequest, onEvent: @escaping @Sendable (ModelEvent) async -> Void) async throws -> ModelResponse {
        try await ledger.checkBudget(scope, tasks: tasks, keys: keys)
        let response = try await base.respond(to: request, onEvent: onEvent)
        do {
            try await ledger.record(response, scope: scope, tasks: tasks, keys: keys)
        } catch {
            logger.warning("could not record model usage", metadata: ["error": "\(error)", "model": "\(response.model)"])
        }
        return response
    }
}

/// A model metered for whichever task calls it (`TaskContext.current`): one instance serves every task of an
/// agent, so agents take a plain `LanguageModel` and still have every call budget-checked and recorded. A call
/// outside a task is not metered.
public struct TaskMeteredModel: LanguageModel {
    public let base: any LanguageModel
    public let ledger: UsageLedger

    public init(base: any LanguageModel, ledger: UsageLedger) {
        self.base = base
        self.ledger = ledger
    }

    public var identity: String { base.identity }
    public var editsWorkingDirectory: Bool { base.editsWorkingDirectory }

    public func respond(to request: ModelRequest, onEvent: @escaping @Sendable (ModelEvent) async -> Void) async throws -> ModelResponse {
        guard let context = TaskContext.current else { return try await base.respond(to: request, onEvent: onEvent) }
        return try await MeteredModel(base: base, ledger: ledger, context: context).respond(to: request, onEvent: onEvent)
    }
}
