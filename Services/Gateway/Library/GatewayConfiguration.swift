import AgentBase
import Foundation

/// The gateway's settings from the environment (`GATEWAY_PORT`, `GATEWAY_HOST`, `GATEWAY_API_TOKENS`, `SB_APPROVAL_TTL`,
/// `GATEWAY_SSE_KEEPALIVE`, `GATEWAY_SSE_MAX_AGE`, `GATEWAY_RATE_LIMIT*`, `SESSION_IDLE_TTL`,
/// `SB_ATTACHMENT_MAX_BYTES`).
public struct GatewayConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// Bearer tokens by client name, from `GATEWAY_API_TOKENS=name:token[:role],…` (or `GATEWAY_API_TOKENS_FILE`).
    public var apiTokens: [String: String]
    /// The role of each token that names one; a token without a role is `admin`.
    public var apiTokenRoles: [String: Role] = [:]
    /// How long an admin request from chat waits for a decision (`SB_APPROVAL_TTL`, default 1 hour).
    public var approvalTTL: Duration = .seconds(3600)
    /// Tasks a chat user may start per window (`GATEWAY_RATE_LIMIT=5/15m`).
    public var rateLimit: RateLimit
    /// Per-channel overrides (`GATEWAY_RATE_LIMIT_TELEGRAM`, `_SLACK`, `_GITHUB`, `_HOOK`: per webhook endpoint).
    public var channelRateLimits: [String: RateLimit] = [:]
    /// REST API clients are not limited unless `GATEWAY_RATE_LIMIT_API` is set (per token name).
    public var apiRateLimit: RateLimit?
    /// Turns of coding sessions a chat user may send per window (`GATEWAY_RATE_LIMIT_SESSION=60/1h`).
    public var sessionRateLimit = RateLimit.sessionTurns
    /// How long a coding session lives without a turn (`SESSION_IDLE_TTL`, default 7 days).
    public var sessionIdleTTL: Duration = SwitchboardEnvironment.defaultSessionIdleTTL
    /// The largest file a chat may send to a coding session (`SB_ATTACHMENT_MAX_BYTES`, default 10 MiB).
    public var attachmentMaxBytes = Self.defaultAttachmentMaxBytes
    /// `SB_ATTACHMENT_MAX_BYTES` when unset: 10 MiB.
    public static let defaultAttachmentMaxBytes = 10 << 20
    /// How often an event stream (SSE) writes a keep-alive comment, so a client that went away is noticed
    /// (`GATEWAY_SSE_KEEPALIVE`, default 15 s), and how long a stream may stay open (`GATEWAY_SSE_MAX_AGE`, default
    /// no limit).
    public var streamTiming = StreamTiming()

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
        (apiTokens, apiTokenRoles) = try Self.parseTokens(environment.secret("GATEWAY_API_TOKENS") ?? "")
        if let text = environment.value("SB_APPROVAL_TTL") {
            guard let ttl = DurationParser.parse(text), ttl > .zero else {
                throw ConfigurationError(variable: "SB_APPROVAL_TTL", message: "'\(text)' is not a duration (seconds, or e.g. 30m, 1h)")
            }
            approvalTTL = ttl
        }
        if let interval = try Self.duration(environment, "GATEWAY_SSE_KEEPALIVE") { streamTiming.keepAlive = interval }
        streamTiming.maxAge = try Self.duration(environment, "GATEWAY_SSE_MAX_AGE")
        if let limit = try RateLimit(environment, "GATEWAY_RATE_LIMIT") { rateLimit = limit }
        apiRateLimit = try RateLimit(environment, "GATEWAY_RATE_LIMIT_API")
        if let limit = try RateLimit(environment, "GATEWAY_RATE_LIMIT_SESSION") { sessionRateLimit = limit }
        sessionIdleTTL = try environment.sessionIdleTTL()
        attachmentMaxBytes = try environment.integer("SB_ATTACHMENT_MAX_BYTES", default: attachmentMaxBytes, minimum: 1)
        for channel in ["telegram", "slack", "github", "hook"] {
            channelRateLimits[channel] = try RateLimit(environment, "GATEWAY_RATE_LIMIT_\(channel.uppercased())")
        }
    }

    /// A positive duration from `variable`, nil when unset.
    static func duration(_ environment: SwitchboardEnvironment, _ variable: String) throws(ConfigurationError) -> Duration? {
        guard let text = environment.value(variable) else { return nil }
        guard let duration = DurationParser.parse(text), duration > .zero else {
            throw ConfigurationError(variable: variable, message: "'\(text)' is not a duration (seconds, or e.g. 500ms, 15s)")
        }
        return duration
    }

    /// Parses `name:token[:role],…`; names are what `source` says (`api:<name>`); no role means `admin`.
    static func parseTokens(_ text: String) throws(ConfigurationError) -> (tokens: [String: String], roles: [String: Role]) {
        var tokens: [String: String] = [:]
        var roles: [String: Role] = [:]
        for entry in text.split(separator: ",") {
            let parts = entry.trimmingCharacters(in: .whitespaces).split(separator: ":", maxSplits: 1)
            guard parts.count == 2, !parts[0].isEmpty else {
                throw ConfigurationError(variable: "GATEWAY_API_TOKENS", message: "expected name:token[:role] entries separated by commas")
            }
            let name = String(parts[0])
            var token = String(parts[1])
            if let colon = token.lastIndex(of: ":"), let role = Role(rawValue: String(token[token.index(after: colon)...])) {
                roles[name] = role
                token = String(token[..<colon])
            }
            guard token.count >= 16 else {
                throw ConfigurationError(variable: "GATEWAY_API_TOKENS", message: "the token of '\(name)' is shorter than 16 characters")
            }
            tokens[name] = token
        }
        return (tokens, roles)
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

    /// Turns of coding sessions when `GATEWAY_RATE_LIMIT_SESSION` is unset: 60 an hour.
    public static let sessionTurns = RateLimit(limit: 60, window: .seconds(3600))

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
