/// An error a handler throws to say whether trying again can help.
/// Any other error a handler throws counts as retryable.
public enum AgentError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Worth retrying with backoff (a network blip, a busy service); dead-lettered when attempts run out.
    case retryable(String)
    /// Retrying cannot help (the repository does not exist, the request is refused); the task fails at once.
    case permanent(String, code: String = "handler_error")

    public var description: String {
        switch self {
        case .retryable(let message): return message
        case .permanent(let message, _): return message
        }
    }

    /// Classifies any error thrown by a handler.
    static func classify(_ error: any Error) -> (message: String, code: String, retryable: Bool) {
        switch error {
        case AgentError.permanent(let message, let code): return (message, code, false)
        case AgentError.retryable(let message): return (message, "handler_error", true)
        case let error as MessageValidationError: return (error.description, "invalid_payload", false)
        case let error as RepositoryPolicyError: return (error.message, error.code, false)
        default: return (String(describing: error), "handler_error", true)
        }
    }
}
