import AgentBase

/// How an HTTP provider calls: its time limit per request and how it retries 429, 529 and 5xx answers.
public struct HTTPModelSettings: Sendable, Hashable {
    /// Time limit of one request, the whole streamed answer included (`LLM_TIMEOUT`, default 120 s).
    public var timeout: Duration
    /// Retries after the first try (`LLM_MAX_RETRIES`, default 3).
    public var maxRetries: Int
    /// The wait before the first retry when the provider names none (`retry-after`); doubles for each later one.
    public var firstRetryWait: Duration
    /// The longest wait for a retry, also for a larger `retry-after`.
    public var maxRetryWait: Duration
    /// Whether to stream the answer (SSE) to hear its text and tool calls as they come (`LLM_STREAM`, default true).
    public var streaming: Bool

    public init(timeout: Duration = .seconds(120), maxRetries: Int = 3, firstRetryWait: Duration = .seconds(1), maxRetryWait: Duration = .seconds(60), streaming: Bool = true) {
        self.timeout = timeout
        self.maxRetries = max(0, maxRetries)
        self.firstRetryWait = firstRetryWait
        self.maxRetryWait = maxRetryWait
        self.streaming = streaming
    }

    /// Reads `LLM_TIMEOUT`, `LLM_MAX_RETRIES` and `LLM_STREAM`.
    public init(environment: SwitchboardEnvironment) throws(ConfigurationError) {
        self.init()
        if let text = environment.value("LLM_TIMEOUT") {
            guard let value = DurationParser.parse(text), value > .zero else { throw ConfigurationError(variable: "LLM_TIMEOUT", message: "'\(text)' is not a positive duration such as 120, 90s or 5m") }
            timeout = value
        }
        if let text = environment.value("LLM_MAX_RETRIES") {
            guard let value = Int(text), value >= 0 else { throw ConfigurationError(variable: "LLM_MAX_RETRIES", message: "'\(text)' is not a whole number of retries (0 or more)") }
            maxRetries = value
        }
        if let text = environment.value("LLM_STREAM") {
            guard let value = Bool(text.lowercased()) else { throw ConfigurationError(variable: "LLM_STREAM", message: "'\(text)' is not true or false") }
            streaming = value
        }
    }
}
