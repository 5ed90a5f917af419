import AgentBase
import Forge
import GitKit
import Sandboxing

/// The steps of a `code.write` task. A failure names its step: permanent errors carry the code `<step>_failed`
/// (`clone_failed`, `apply_failed`, `model_failed`, `commit_failed`, `push_failed`, `pr_failed`; failing tests are
/// reported in the result, not thrown);
/// network trouble, timeouts, a busy repository and a Redis outage are retryable. What no step may do keeps its own code:
/// `forbidden_repository`, `forbidden_path`, `sandbox_unavailable`.
enum WriteStep: String, Sendable {
    case clone, apply, model, commit, push, pr

    /// The permanent error of this step, with the reason.
    func failure(_ reason: String) -> AgentError {
        .permanent("\(rawValue) failed: \(reason)", code: "\(rawValue)_failed")
    }

    /// Runs `body` as this step, turning what git, the forge, the model and the locks throw into `AgentError`s.
    func run<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as AgentError {
            throw error
        } catch let error as GitError {
            switch error {
            case .forbiddenRepository, .unsafePath: throw GitFailure.agentError(error)
            default: break
            }
            if error.isTransient { throw AgentError.retryable("\(rawValue) failed: \(error)") }
            if error.isMissingRepository {
                throw failure("repository not found or not accessible: \(error); check repo_url (and GITHUB_TOKEN for a private repository)")
            }
            throw failure(error.description)
        } catch let error as ForgeError {
            throw error.isRetryable ? AgentError.retryable("\(rawValue) failed: \(error)") : failure(error.description)
        } catch let error as LanguageModelError {
            throw error.isRetryable ? AgentError.retryable("\(rawValue) failed: \(error)") : failure(error.description)
        } catch let error as SandboxError {
            throw error.agentError
        } catch let error as RedisLockError {
            throw AgentError.retryable("\(rawValue) failed: \(error.description)")
        } catch let error as RedisError {
            // The repository locks and a session's turn history live in Redis: an outage is worth a retry.
            throw AgentError.retryable("\(rawValue) failed: \(error)")
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw failure("\(error)")
        }
    }
}
