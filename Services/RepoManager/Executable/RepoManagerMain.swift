import AgentBase
import RepoManager

/// `repo-manager`: git operations on repositories (`repo.*`). Configuration comes from the environment.
@main
struct RepoManagerMain {
    static func main() async throws {
        try await ServiceMain.run(RepoManager.agent) { environment in
            try await RepoManager.application(environment: environment).runService()
        }
    }
}
