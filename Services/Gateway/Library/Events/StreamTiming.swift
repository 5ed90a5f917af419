/// How the gateway's Server-Sent Event streams are paced: a keep-alive comment every `keepAlive`
/// (`GATEWAY_SSE_KEEPALIVE`, so a client that went away is noticed) and, with `maxAge` set (`GATEWAY_SSE_MAX_AGE`),
/// an end after that long (an `EventSource` reconnects; a proxy or a fuzzer gets whole responses).
public struct StreamTiming: Sendable {
    public var keepAlive: Duration
    public var maxAge: Duration?

    public init(keepAlive: Duration = .seconds(15), maxAge: Duration? = nil) {
        self.keepAlive = keepAlive
        self.maxAge = maxAge
    }
}
