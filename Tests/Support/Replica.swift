import ServiceLifecycle

/// Services running in the background the way one process runs them, in a ServiceGroup; `kill` is a crash.
public final class Replica: Sendable {
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    public init(_ services: [any Service]) {
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [], logger: quietLogger))
        self.group = group
        self.task = Task { try await group.run() }
    }

    public func shutdown() async {
        await group.triggerGracefulShutdown()
        _ = await task.result
    }

    public func kill() async {
        task.cancel()
        _ = await task.result
    }
}
