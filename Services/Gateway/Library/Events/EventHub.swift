import AgentBase
import Logging
import ServiceLifecycle
import Synchronization

/// Follows `sb:events` with one blocking reader and hands each event to whoever watches its task
/// (Server-Sent Events streams), so a thousand watchers cost one Redis connection.
public final class EventHub: Service, Sendable {
    private let events: any EventStream
    private let stream: String
    private let logger: Logger
    private let watchers = Mutex<[String: [Int: AsyncStream<TaskEvent>.Continuation]]>([:])
    /// Watchers of every task (`/v1/events`, the dashboard's live lists).
    private let everything = Mutex<[Int: AsyncStream<TaskEvent>.Continuation]>([:])
    private let nextID = Atomic<Int>(0)
    /// Set once the hub reads events (for `/readyz`).
    public let readiness: Readiness

    public init(events: any EventStream, stream: String, readiness: Readiness = Readiness(), logger: Logger) {
        self.events = events
        self.stream = stream
        self.readiness = readiness
        self.logger = logger
    }

    /// The events of one task from now on; the stream ends when the caller stops iterating.
    public func watch(task: String) -> AsyncStream<TaskEvent> {
        let id = nextID.add(1, ordering: .relaxed).oldValue
        let (stream, continuation) = AsyncStream.makeStream(of: TaskEvent.self, bufferingPolicy: .bufferingNewest(1000))
        watchers.withLock { $0[task, default: [:]][id] = continuation }
        continuation.onTermination = { [weak self] _ in
            self?.watchers.withLock { watchers in
                watchers[task]?[id] = nil
                if watchers[task]?.isEmpty == true { watchers[task] = nil }
            }
        }
        return stream
    }

    /// Every task's events from now on; the stream ends when the caller stops iterating.
    public func watchAll() -> AsyncStream<TaskEvent> {
        let id = nextID.add(1, ordering: .relaxed).oldValue
        let (stream, continuation) = AsyncStream.makeStream(of: TaskEvent.self, bufferingPolicy: .bufferingNewest(1000))
        everything.withLock { $0[id] = continuation }
        continuation.onTermination = { [weak self] _ in
            self?.everything.withLock { $0[id] = nil }
        }
        return stream
    }

    /// Whether anyone watches this task now.
    func isWatched(_ task: String) -> Bool {
        watchers.withLock { $0[task]?.isEmpty == false }
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await self.follow()
        }
        readiness.set(false)
        watchers.withLock { watchers in
            for continuation in watchers.values.flatMap(\.values) { continuation.finish() }
            watchers.removeAll()
        }
        everything.withLock { everything in
            for continuation in everything.values { continuation.finish() }
            everything.removeAll()
        }
    }

    private func follow() async {
        var after: String?
        while !Task.isCancelled {
            do {
                if after == nil {
                    after = try await events.lastEventID(stream: stream)
                    readiness.set(true)
                }
                let events = try await self.events.events(stream: stream, after: after!, count: 1000, block: .seconds(1))
                if let last = events.last { after = last.id }
                deliver(events)
            } catch {
                if Task.isCancelled { break }
                logger.warning("cannot read task events; retrying", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .milliseconds(500))
            }
        }
    }

    private func deliver(_ events: [TaskEvent]) {
        guard !events.isEmpty else { return }
        let all = everything.withLock { Array($0.values) }
        for continuation in all {
            for event in events { continuation.yield(event) }
        }
        let targets = watchers.withLock { watchers in
            events.compactMap { event in watchers[event.task].map { (event, Array($0.values)) } }
        }
        for (event, continuations) in targets {
            for continuation in continuations { continuation.yield(event) }
        }
    }
}
