/// Spending limits in US dollars checked before every metered call: per user (`LLM_BUDGET_USER_USD`) and
/// per agent (`LLM_BUDGET_AGENT_USD`), against the running totals in `sb:usage:user|agent:<id>`.
public struct UsageBudget: Sendable, Hashable {
    public var userUSD: Double?
    public var agentUSD: Double?

    public init(userUSD: Double? = nil, agentUSD: Double? = nil) {
        self.userUSD = userUSD
        self.agentUSD = agentUSD
    }

    /// Reads the limits; unset or empty means no limit, anything but a non-negative number is an error.
    public init(environment: SwitchboardEnvironment) throws(ConfigurationError) {
        self.init(userUSD: try Self.limit("LLM_BUDGET_USER_USD", environment), agentUSD: try Self.limit("LLM_BUDGET_AGENT_USD", environment))
    }

    private static func limit(_ name: String, _ environment: SwitchboardEnvironment) throws(ConfigurationError) -> Double? {
        guard let text = environment.value(name) else { return nil }
        guard let value = Double(text), value >= 0, value.isFinite else {
            throw ConfigurationError(variable: name, message: "'\(text)' is not a non-negative amount of US dollars, e.g. 5 or 0.50")
        }
        return value
    }
}
