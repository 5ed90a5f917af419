import AgentBase
import Synchronization

/// What a task's event stream writes: the task's events and, every `timing.keepAlive`, a keep-alive tick, until the
/// events end, `timing.maxAge` has passed or `close()` is called (graceful shutdown).
final class TaskEventFeed: Sendable {
    /// One thing to write.
    enum Frame: Sendable {
        case event(TaskEvent)
        case keepAlive
    }

    let frames: AsyncStream<Frame>
    private let continuation: AsyncStream<Frame>.Continuation

    init(events: AsyncStream<TaskEvent>, timing: StreamTiming) {
        (frames, continuation) = AsyncStream.makeStream(of: Frame.self, bufferingPolicy: .bufferingNewest(1000))
        let continuation = continuation
        let forward = Task {
            for await event in events { continuation.yield(.event(event)) }
            continuation.finish()
        }
        let tick = Task {
            while (try? await Task.sleep(for: timing.keepAlive)) != nil { continuation.yield(.keepAlive) }
        }
        let expiry = Task {
            guard let maxAge = timing.maxAge, (try? await Task.sleep(for: maxAge)) != nil else { return }
            continuation.finish()
        }
        continuation.onTermination = { _ in
            forward.cancel()
            tick.cancel()
            expiry.cancel()
        }
    }

    /// Ends `frames` after what is already buffered.
    func close() {
        continuation.finish()
    }
}
