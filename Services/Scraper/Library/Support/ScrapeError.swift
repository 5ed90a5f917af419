import AgentBase

/// Why a scrape could not be done, in words the person who asked can act on.
public enum ScrapeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The URL is not an absolute http(s) URL with a host.
    case invalidURL(String)
    /// The host is private, loopback, link-local, multicast or a metadata address and not in `SCRAPER_ALLOW_HOSTS`.
    case forbiddenAddress(host: String, address: String, reason: String)
    /// The host name does not resolve.
    case unresolvable(host: String)
    /// `robots.txt` disallows the path for our user agent.
    case disallowedByRobots(url: String)
    /// More redirects than `SCRAPER_MAX_REDIRECTS`.
    case tooManyRedirects(url: String, limit: Int)
    /// A redirect without a usable `Location`.
    case badRedirect(url: String)
    /// The body is larger than `SCRAPER_MAX_BYTES`.
    case tooLarge(url: String, limit: Int)
    /// No complete answer within `SCRAPER_TIMEOUT`.
    case timedOut(url: String, seconds: Int)
    /// The server answered with an error status.
    case httpStatus(url: String, status: Int)
    /// The content type is not HTML, Markdown, plain text or JSON.
    case unsupportedContent(url: String, contentType: String)
    /// The selector is not in the supported subset.
    case invalidSelector(String, reason: String)
    /// The page was read but holds no recognisable todo list.
    case noItems(url: String)
    /// The connection failed.
    case network(url: String, message: String)

    public var description: String {
        switch self {
        case .invalidURL(let url): return "'\(url)' is not an http(s) URL with a host"
        case .forbiddenAddress(let host, let address, let reason):
            return "refusing to fetch \(host): it resolves to \(address), a \(reason) address; add the host to SCRAPER_ALLOW_HOSTS if this is intended"
        case .unresolvable(let host): return "the host \(host) does not resolve"
        case .disallowedByRobots(let url): return "robots.txt of the site disallows fetching \(url)"
        case .tooManyRedirects(let url, let limit): return "more than \(limit) redirects fetching \(url)"
        case .badRedirect(let url): return "\(url) redirects without a usable Location"
        case .tooLarge(let url, let limit): return "\(url) is larger than the \(limit / 1024) KiB limit (SCRAPER_MAX_BYTES)"
        case .timedOut(let url, let seconds): return "\(url) did not answer within \(seconds) s (SCRAPER_TIMEOUT)"
        case .httpStatus(let url, let status): return "\(url) answered HTTP \(status)"
        case .unsupportedContent(let url, let type): return "\(url) is \(type); the scraper reads HTML, Markdown, plain text and JSON"
        case .invalidSelector(let selector, let reason): return "selector '\(selector)': \(reason)"
        case .noItems(let url):
            return "no todo items found on \(url): expected checkboxes, a list under a To-do heading, a table with a status column, a Markdown checklist or a JSON array of tasks; a selector can point at the list"
        case .network(let url, let message): return "could not fetch \(url): \(message)"
        }
    }

    /// Stable code for `task.failed`.
    public var code: String {
        switch self {
        case .invalidURL: return "invalid_url"
        case .forbiddenAddress: return "forbidden_address"
        case .unresolvable: return "unresolvable_host"
        case .disallowedByRobots: return "robots_disallowed"
        case .tooManyRedirects, .badRedirect: return "redirects"
        case .tooLarge: return "too_large"
        case .timedOut: return "timeout"
        case .httpStatus: return "http_status"
        case .unsupportedContent: return "unsupported_content"
        case .invalidSelector: return "invalid_selector"
        case .noItems: return "no_items"
        case .network: return "network"
        }
    }

    /// Whether trying again later can help (server trouble, timeouts) or not (a refusal, a bad page).
    public var isRetryable: Bool {
        switch self {
        case .timedOut, .network: return true
        case .httpStatus(_, let status): return status >= 500 || status == 429 || status == 408
        default: return false
        }
    }

    /// The same error as the runner understands it.
    public var agentError: AgentError {
        isRetryable ? .retryable(description) : .permanent(description, code: code)
    }
}
