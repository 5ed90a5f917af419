import AgentBase
import Synchronization

/// What a task's event stream writes: the task's events and, every `keepAlive`, a keep-alive tick, until the
/// events end or `close()` is called (graceful shutdown).
final class TaskEventFeed: Sendable {
    /// One thing to write.
    enum Frame: Sendable {
        case event(TaskEvent)
        case keepAlive
    }

    let frames: AsyncStream<Frame>
    private let continuation: AsyncStream<Frame>.Continuation

    init(events: AsyncStream<TaskEvent>, keepAlive: Duration) {
        (frames, continuation) = AsyncStream.makeStream(of: Frame.self, bufferingPolicy: .bufferingNewest(1000))
        let continuation = continuation
        let forward = Task {
            for await event in events { continuation.yield(.event(event)) }
            continuation.finish()
        }
        let tick = Task {
            while (try? await Task.sleep(for: keepAlive)) != nil { continuation.yield(.keepAlive) }
        }
        continuation.onTermination = { _ in
            forward.cancel()
            tick.cancel()
        }
    }

    /// Ends `frames` after what is already buffered.
    func close() {
        continuation.finish()
    }
}
