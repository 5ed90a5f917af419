import AgentBase

/// Bounds of the model loop: turns (`CODEWRITER_MAX_TURNS`, default 30) and wall time (`CODEWRITER_TIMEOUT`,
/// default 20 minutes, under the registry's handler timeout so that tests and push still fit).
public struct CodeWriterLimits: Sendable, Hashable {
    public var maxTurns: Int
    public var timeout: Duration

    public init(maxTurns: Int = 30, timeout: Duration = .seconds(1200)) {
        self.maxTurns = maxTurns
        self.timeout = timeout
    }

    public init(environment: SwitchboardEnvironment) throws(ConfigurationError) {
        self.init()
        if let text = environment.value("CODEWRITER_MAX_TURNS") {
            guard let turns = Int(text), turns > 0 else {
                throw ConfigurationError(variable: "CODEWRITER_MAX_TURNS", message: "'\(text)' is not a positive number of turns")
            }
            maxTurns = turns
        }
        if let text = environment.value("CODEWRITER_TIMEOUT") {
            guard let duration = DurationParser.parse(text), duration > .zero else {
                throw ConfigurationError(variable: "CODEWRITER_TIMEOUT", message: "'\(text)' is not a duration (seconds, or e.g. 90s, 20m)")
            }
            timeout = duration
        }
    }
}
