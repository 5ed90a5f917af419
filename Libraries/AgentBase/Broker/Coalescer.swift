import Synchronization

/// Runs one batch at a time: items submitted while a batch is in flight go together in the next.
/// Each caller waits for the batch that carried its items and gets that batch's error, if any. The batches are sent
/// by the callers themselves, no task of its own: the first caller leads; a leader sends its items with those
/// waiting, then hands the lead to the next caller still waiting.
final class Coalescer<Item: Sendable>: Sendable {
    /// What a waiting caller is told.
    private enum Turn: Sendable {
        /// Its items were sent, with this result.
        case sent(Result<Void, any Error>)
        /// It leads now: it sends its items and those waiting.
        case lead
    }

    private struct Waiting {
        var items: [Item]
        var continuation: CheckedContinuation<Turn, Never>
    }

    private struct State {
        var waiting: [Waiting] = []
        var leading = false

        /// Waiting callers whose items go with `count` items of the leader's, up to `maxBatch` (at least one).
        mutating func takeBatch(after count: Int, maxBatch: Int) -> [Waiting] {
            var count = count
            var taken = 0
            while taken < waiting.count && (count == 0 || count + waiting[taken].items.count <= maxBatch) {
                count += waiting[taken].items.count
                taken += 1
            }
            defer { waiting.removeFirst(taken) }
            return Array(waiting.prefix(taken))
        }

        /// The next leader, or nil (and nobody leads) when nobody waits.
        mutating func nextLeader() -> Waiting? {
            if waiting.isEmpty {
                leading = false
                return nil
            }
            return waiting.removeFirst()
        }
    }

    private let state = Mutex(State())
    private let maxBatch: Int
    /// What sends a batch.
    private let send: @Sendable ([Item]) async throws -> Void

    init(maxBatch: Int = 1024, send: @escaping @Sendable ([Item]) async throws -> Void) {
        self.maxBatch = maxBatch
        self.send = send
    }

    /// Callers waiting for a batch to carry their items.
    var waitingCount: Int { state.withLock { $0.waiting.count } }

    func submit(_ items: [Item]) async throws {
        let turn = await withCheckedContinuation { (continuation: CheckedContinuation<Turn, Never>) in
            let leadNow = state.withLock { state -> Bool in
                if state.leading {
                    state.waiting.append(Waiting(items: items, continuation: continuation))
                    return false
                }
                state.leading = true
                return true
            }
            if leadNow { continuation.resume(returning: .lead) }
        }
        switch turn {
        case .sent(let result):
            try result.get()
        case .lead:
            try await lead(items).get()
        }
    }

    /// Sends `items` with those waiting, tells their callers, and hands the lead on.
    private func lead(_ items: [Item]) async -> Result<Void, any Error> {
        let others = state.withLock { $0.takeBatch(after: items.count, maxBatch: maxBatch) }
        let result: Result<Void, any Error>
        do {
            try await send(items + others.flatMap(\.items))
            result = .success(())
        } catch {
            result = .failure(error)
        }
        for waiting in others { waiting.continuation.resume(returning: .sent(result)) }
        state.withLock { $0.nextLeader() }?.continuation.resume(returning: .lead)
        return result
    }
}
