/// Exponential backoff: each `next()` returns the current pause and doubles it up to `maximum`.
public struct Backoff: Sendable, Hashable {
    public let initial: Duration
    public let maximum: Duration
    public private(set) var current: Duration

    public init(initial: Duration, maximum: Duration) {
        self.initial = initial
        self.maximum = max(initial, maximum)
        self.current = initial
    }

    /// The pause to wait now; the one after is twice as long (at most `maximum`).
    public mutating func next() -> Duration {
        defer { current = min(current * 2, maximum) }
        return current
    }

    /// Back to `initial` after a success.
    public mutating func reset() {
        current = initial
    }
}
