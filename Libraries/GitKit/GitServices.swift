import AgentBase
import Logging

/// What a git-working agent needs, built from the environment: the workspace (`WORKSPACE_DIR`, `GIT_*`,
/// `GITHUB_TOKEN`) and repository locks in the broker's Redis.
public struct GitServices: Sendable {
    public let workspace: GitWorkspace
    public let locks: RepositoryLocks

    public init(environment: SwitchboardEnvironment, agent: String, logger: Logger) throws {
        let configuration = try GitConfiguration(environment: environment, agent: agent)
        let git: Git
        do {
            git = try Git(configuration: configuration)
        } catch {
            throw ConfigurationError(variable: "WORKSPACE_DIR", message: error.description)
        }
        let redis = RedisConnection(configuration: try environment.redisConfiguration(), name: "repository-locks", logger: logger)
        workspace = GitWorkspace(git: git)
        locks = RepositoryLocks(redis: redis, keys: environment.keys)
    }
}
