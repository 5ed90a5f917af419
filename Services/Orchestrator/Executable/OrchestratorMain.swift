import AgentBase
import Orchestrator

/// `orchestrator`: durable workflows and cron schedules. Configuration comes from the environment.
@main
struct OrchestratorMain {
    static func main() async throws {
        try await ServiceMain.run(OrchestratorService.self)
    }
}
