import AgentBase

/// When Socket Mode dials Slack again, decided from how the last connection went: the pause doubles after every
/// connection that ends (up to a maximum), goes back to its start only after a connection Slack greeted with `hello`,
/// and is skipped when Slack, after `hello`, asked for a new connection with `disconnect`.
struct SocketModeRedial: Sendable, Hashable {
    /// What one connection saw before it ended.
    struct Outcome: Sendable, Hashable {
        /// Slack said `hello`: the connection was a working one.
        var helloReceived = false
        /// Slack sent `disconnect` (its `reason`, such as `refresh_requested`): it wants the client on a new connection.
        var disconnectReason: String?
    }

    private var backoff: Backoff

    init(initial: Duration = .milliseconds(500), maximum: Duration = .seconds(30)) {
        backoff = Backoff(initial: initial, maximum: maximum)
    }

    /// The pause before the next dial, after a connection that ended with `outcome` (or could not be opened at all).
    mutating func pause(after outcome: Outcome) -> Duration {
        guard outcome.helloReceived else { return backoff.next() }
        backoff.reset()
        return outcome.disconnectReason == nil ? backoff.next() : .zero
    }
}
