import AgentBase
import PRReviewer

/// `pr-reviewer`: reviews pull requests and pairs of refs. Configuration comes from the environment.
@main
struct PRReviewerMain {
    static func main() async throws {
        try await ServiceMain.run(PRReviewerAgent.agent) { environment in
            try await PRReviewerAgent.application(environment: environment).runService()
        }
    }
}
