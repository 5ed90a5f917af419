import AgentBase
import Foundation
import GitKit
import RepoManager

/// `repo-manager`: git operations on repositories (`repo.*`). Configuration comes from the environment.
@main
struct RepoManagerMain {
    static func main() async throws {
        let environment = SwitchboardEnvironment()
        Observability.bootstrap(environment)
        do {
            try await RepoManager.application(environment: environment).runService()
        } catch let error as RegistryError {
            fail("invalid registry: \(error)")
        } catch let error as ConfigurationError {
            fail("\(error)")
        } catch let error as GitError {
            fail("\(error)")
        }
    }

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("repo-manager: \(message)\n".utf8))
        exit(1)
    }
}
