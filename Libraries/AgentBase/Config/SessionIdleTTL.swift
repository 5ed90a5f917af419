extension SwitchboardEnvironment {
    /// `SESSION_IDLE_TTL` when unset: 7 days.
    public static let defaultSessionIdleTTL: Duration = .seconds(7 * 24 * 3600)

    /// How long a coding session lasts without a turn (`SESSION_IDLE_TTL`, default 7 days): the gateway's binding
    /// and the code-writer's turn history expire together; the session branch stays.
    public func sessionIdleTTL() throws(ConfigurationError) -> Duration {
        guard let text = value("SESSION_IDLE_TTL") else { return Self.defaultSessionIdleTTL }
        guard let ttl = DurationParser.parse(text), ttl > .zero else {
            throw ConfigurationError(variable: "SESSION_IDLE_TTL", message: "'\(text)' is not a duration (seconds, or e.g. 12h, 7d)")
        }
        return ttl
    }
}
