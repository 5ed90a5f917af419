import AgentBase

/// The gateway's settings from the environment (`GATEWAY_PORT`, `GATEWAY_HOST`, `GATEWAY_API_TOKENS`).
public struct GatewayConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// Bearer tokens by client name, from `GATEWAY_API_TOKENS=name:token,…` (or `GATEWAY_API_TOKENS_FILE`).
    public var apiTokens: [String: String]
    /// Tasks a chat user may start per window (`GATEWAY_RATE_LIMIT=5/15m`).
    public var rateLimit: RateLimit
    /// Per-channel overrides (`GATEWAY_RATE_LIMIT_TELEGRAM`, `_SLACK`, `_GITHUB`).
    public var channelRateLimits: [String: RateLimit] = [:]
    /// REST API clients are not limited unless `GATEWAY_RATE_LIMIT_API` is set (per token name).
    public var apiRateLimit: RateLimit?

    public init(host: String = "0.0.0.0", port: Int = 8080, apiTokens: [String: String] = [:], rateLimit: RateLimit = RateLimit(limit: 5, window: .seconds(900))) {
        self.host = host
        self.port = port
        self.apiTokens = apiTokens
        self.rateLimit = rateLimit
    }

    public init(environment: SwitchboardEnvironment) throws {
        self.init()
        if let host = environment.value("GATEWAY_HOST") { self.host = host }
        if let text = environment.value("GATEWAY_PORT") {
            guard let port = Int(text), (0...65535).contains(port) else {
                throw ConfigurationError(variable: "GATEWAY_PORT", message: "must be a port number, got '\(text)'")
            }
            self.port = port
        }
        apiTokens = try Self.parseTokens(environment.secret("GATEWAY_API_TOKENS") ?? "")
        if let limit = try RateLimit(environment, "GATEWAY_RATE_LIMIT") { rateLimit = limit }
        apiRateLimit = try RateLimit(environment, "GATEWAY_RATE_LIMIT_API")
        for channel in ["telegram", "slack", "github"] {
            channelRateLimits[channel] = try RateLimit(environment, "GATEWAY_RATE_LIMIT_\(channel.uppercased())")
        }
    }

    /// Parses `name:token,name:token`; names are what `source` says (`api:<name>`).
    static func parseTokens(_ text: String) throws(ConfigurationError) -> [String: String] {
        var tokens: [String: String] = [:]
        for pair in text.split(separator: ",") {
            let parts = pair.trimmingCharacters(in: .whitespaces).split(separator: ":", maxSplits: 1)
            guard parts.count == 2, !parts[0].isEmpty, parts[1].count >= 16 else {
                throw ConfigurationError(variable: "GATEWAY_API_TOKENS", message: "expected name:token pairs separated by commas, each token at least 16 characters")
            }
            tokens[String(parts[0])] = String(parts[1])
        }
        return tokens
    }
}

/// A number of tasks per window, written `5/15m`.
public struct RateLimit: Sendable, Hashable {
    public var limit: Int
    public var window: Duration

    public init(limit: Int, window: Duration) {
        self.limit = limit
        self.window = window
    }

    /// The variable's value, or nil when it is unset.
    init?(_ environment: SwitchboardEnvironment, _ variable: String) throws(ConfigurationError) {
        guard let text = environment.value(variable) else { return nil }
        let parts = text.split(separator: "/")
        guard parts.count == 2, let limit = Int(parts[0]), limit > 0, let window = DurationParser.parse(String(parts[1])), window > .zero else {
            throw ConfigurationError(variable: variable, message: "expected tasks/window, e.g. 5/15m, got '\(text)'")
        }
        self.init(limit: limit, window: window)
    }
}
