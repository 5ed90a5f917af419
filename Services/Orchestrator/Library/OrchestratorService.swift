import AgentBase
import Foundation
import Logging
import ServiceLifecycle
import Workflows

/// The orchestrator: the `workflow.run` handler, the run engine and the scheduler of one replica.
///
/// The handler starts the run (state in Redis, first step published) and then waits for the run to end, polling
/// its status: it holds a runner slot, but a cheap one (the registry gives the orchestrator a high concurrency).
/// If the replica dies while waiting, the run is not lost: any replica's engine keeps advancing it from events and
/// ends the `workflow.run` task itself when the run ends, so the task's outcome does not wait for a redelivery.
public struct OrchestratorService: SwitchboardService, Sendable {
    public static let name = "orchestrator"

    public let engine: RunEngine
    public let scheduler: Scheduler
    public let workflows: WorkflowCatalogue
    public let schedules: ScheduleCatalogue

    public init(bus: RedisBus, workflows: WorkflowCatalogue, schedules: ScheduleCatalogue, configuration: OrchestratorConfiguration, clock: @escaping @Sendable () -> Date = { Date() }, logger: Logger) {
        self.workflows = workflows
        self.schedules = schedules
        engine = RunEngine(bus: bus, catalogue: workflows, configuration: configuration, logger: logger)
        scheduler = Scheduler(bus: bus, schedules: schedules, configuration: configuration, clock: clock, logger: logger)
    }

    /// The application the `orchestrator` executable runs: the runner, the run engine and the scheduler in one group.
    /// Workflows (`SB_WORKFLOWS`) and schedules (`SB_SCHEDULES`) are validated first; a mistake is one
    /// `file:line: field: message` line. It uses no model.
    public static func application(environment: SwitchboardEnvironment, model: any LanguageModel, logger: Logger) throws -> AgentApplication {
        let registry = try AgentRegistry.load(path: environment.registryPath)
        let workflows: WorkflowCatalogue
        let schedules: ScheduleCatalogue
        do {
            workflows = try WorkflowCatalogue.load(path: environment.workflowsPath, registry: registry)
        } catch {
            throw ConfigurationError(variable: "SB_WORKFLOWS", message: "invalid workflows: \(error)")
        }
        do {
            schedules = try ScheduleCatalogue.load(path: environment.schedulesPath, registry: registry, workflows: workflows)
        } catch {
            throw ConfigurationError(variable: "SB_SCHEDULES", message: "invalid schedules: \(error)")
        }
        let configuration = try OrchestratorConfiguration(environment: environment)
        // A bus of its own: the engine's blocking group reads must not queue behind the runner's.
        let bus = try RedisBus(environment: environment, logger: logger)
        let orchestrator = OrchestratorService(bus: bus, workflows: workflows, schedules: schedules, configuration: configuration, logger: logger)
        return try AgentApplication(agent: configuration.agent, environment: environment, logger: logger, alongside: orchestrator.services) { orchestrator.register(&$0) }
    }

    /// Registers the `workflow.run` handler.
    public func register(_ handlers: inout AgentHandlers) {
        let engine = engine
        handlers.on(WorkflowRunRequest.self) { request, context in
            try await engine.start(run: context.task, request: request, conversation: context.envelope.conversation)
            return try await engine.wait(run: context.task)
        }
    }

    /// The long-running parts besides the runner.
    public var services: [any Service] { [engine, scheduler] }
}
