/// A service's built process: runs until SIGTERM or SIGINT, then drains.
public protocol ServiceApplication: Sendable {
    /// Runs every part of the service in one `ServiceGroup` until a signal, then drains.
    func runService() async throws
}
