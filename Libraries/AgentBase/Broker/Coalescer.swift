import Synchronization

/// Runs one batch at a time: items submitted while a batch is in flight go together in the next.
/// Each caller waits for the batch that carried its items and gets that batch's error, if any.
final class Coalescer<Item: Sendable>: Sendable {
    private struct Waiting {
        var items: [Item]
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var waiting: [Waiting] = []
        var running = false
    }

    private let state = Mutex(State())
    private let maxBatch: Int
    /// What sends a batch.
    private let send: @Sendable ([Item]) async throws -> Void

    init(maxBatch: Int = 1024, send: @escaping @Sendable ([Item]) async throws -> Void) {
        self.maxBatch = maxBatch
        self.send = send
    }

    func submit(_ items: [Item]) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let start = state.withLock { state -> Bool in
                state.waiting.append(Waiting(items: items, continuation: continuation))
                if state.running { return false }
                state.running = true
                return true
            }
            if start { Task { await self.drain() } }
        }
    }

    private func drain() async {
        while true {
            let batch = state.withLock { state -> [Waiting] in
                if state.waiting.isEmpty {
                    state.running = false
                    return []
                }
                var count = 0
                var taken = 0
                while taken < state.waiting.count && (taken == 0 || count + state.waiting[taken].items.count <= maxBatch) {
                    count += state.waiting[taken].items.count
                    taken += 1
                }
                defer { state.waiting.removeFirst(taken) }
                return Array(state.waiting.prefix(taken))
            }
            if batch.isEmpty { return }
            do {
                try await send(batch.flatMap(\.items))
                for waiting in batch { waiting.continuation.resume() }
            } catch {
                for waiting in batch { waiting.continuation.resume(throwing: error) }
            }
        }
    }
}
