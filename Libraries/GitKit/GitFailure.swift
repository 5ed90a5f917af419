import AgentBase
import Sandboxing

/// Turns what git and the repository locks throw into `AgentError`s a person can act on: permanent for a bad request
/// (unknown ref, missing repository, refused path or repository, no sandbox), retryable for network trouble, timeouts and
/// busy repositories.
public enum GitFailure {
    public static func readable<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as GitError {
            throw agentError(error)
        } catch let error as RedisLockError {
            throw AgentError.retryable(error.description)
        } catch let error as SandboxError {
            throw error.agentError
        }
    }

    public static func agentError(_ error: GitError) -> AgentError {
        if error.isTransient { return .retryable(error.description) }
        switch error {
        case .unknownRef: return .permanent(error.description, code: "unknown_ref")
        case .forbiddenRepository(let refusal): return refusal.agentError
        case .unsafePath: return .permanent(error.description, code: "forbidden_path")
        case .invalidBranchName, .invalidRepositoryURL: return .permanent(error.description, code: "invalid_request")
        case .failed where error.isMissingRepository:
            return .permanent("repository not found or not accessible: \(error.description); check repo_url (and GITHUB_TOKEN for a private repository)", code: "repository_not_found")
        default: return .permanent(error.description, code: "git_error")
        }
    }
}
