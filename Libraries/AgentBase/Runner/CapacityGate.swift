import Synchronization

/// Counts free handler slots; the fetch loop waits here so it never reads more than it can run.
final class CapacityGate: Sendable {
    private struct State {
        var available: Int
        var waiters: [CheckedContinuation<Void, Never>] = []
        var closed = false
    }

    private let state: Mutex<State>

    init(slots: Int) {
        state = Mutex(State(available: slots))
    }

    /// Waits until at least one slot is free, then takes up to `limit` slots and returns how many
    /// (0 once the gate is closed).
    func acquire(upTo limit: Int) async -> Int {
        while true {
            let taken = state.withLock { state -> Int? in
                if state.closed { return 0 }
                let n = min(state.available, limit)
                if n == 0 { return nil }
                state.available -= n
                return n
            }
            if let taken { return taken }
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state -> Bool in
                    if state.available > 0 || state.closed { return true }
                    state.waiters.append(continuation)
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        }
    }

    /// Takes up to `limit` slots without waiting.
    func tryAcquire(upTo limit: Int) -> Int {
        state.withLock { state in
            let n = min(state.available, limit)
            state.available -= n
            return n
        }
    }

    func release(_ count: Int = 1) {
        guard count > 0 else { return }
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.available += count
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Stops handing out slots and wakes every waiter (they get 0).
    func close() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.closed = true
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}
