import AgentBase

/// A forge call that failed: the HTTP status and the forge's own `message`, or why no answer came.
public enum ForgeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The forge answered with an error status.
    case http(status: Int, message: String, request: String)
    /// No usable answer: connection trouble or a timeout.
    case transport(String, request: String)
    /// The answer was not the JSON expected.
    case unexpectedResponse(String, request: String)
    /// A request that cannot be made (e.g. a bad repository name).
    case invalidRequest(String)

    public var description: String {
        switch self {
        case .http(let status, let message, let request):
            return "GitHub \(request): HTTP \(status)\(message.isEmpty ? "" : ": \(message)")\(Self.hint(status))"
        case .transport(let reason, let request): return "GitHub \(request): \(Redactor.redact(reason))"
        case .unexpectedResponse(let reason, let request): return "GitHub \(request): unexpected response: \(reason)"
        case .invalidRequest(let reason): return reason
        }
    }

    /// Whether trying again later can help: 5xx, 429, rate limits and transport trouble.
    public var isRetryable: Bool {
        switch self {
        case .http(let status, let message, _): return status >= 500 || status == 429 || (status == 403 && message.lowercased().contains("rate limit"))
        case .transport: return true
        case .unexpectedResponse, .invalidRequest: return false
        }
    }

    private static func hint(_ status: Int) -> String {
        switch status {
        case 401: return " (check GITHUB_TOKEN)"
        case 404: return " (no such repository or pull request, or GITHUB_TOKEN cannot see it)"
        default: return ""
        }
    }
}
