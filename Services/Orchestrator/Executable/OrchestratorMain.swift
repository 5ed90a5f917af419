import AgentBase
import Logging
import Orchestrator
import Workflows

@main
struct OrchestratorMain {
    static func main() async throws {
        // Workflows and schedules are validated before anything starts; a mistake is one `file:line: field: message` line.
        try await ServiceMain.run("orchestrator") { environment in
            let logger = Logger(label: "switchboard.orchestrator")
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
            let orchestrator = OrchestratorAgent(bus: bus, workflows: workflows, schedules: schedules, configuration: configuration, logger: logger)
            // ServiceGroup: runner + run engine + scheduler (+ /metrics); drains on SIGTERM.
            try await AgentApplication(agent: configuration.agent, environment: environment, logger: logger) { orchestrator.register(&$0) }
                .runService(alongside: orchestrator.services)
            bus.close()
        }
    }
}
