/// Runs `body` until `deadline`: its value, or `nil` when the deadline passes first (then `body` is cancelled and
/// awaited). Errors of `body`, and cancellation of the caller, are thrown.
public func withDeadline<T: Sendable>(_ deadline: ContinuousClock.Instant, _ body: @escaping @Sendable () async throws -> T) async throws -> T? {
    try await withWatchdog(body) { try await Task.sleep(until: deadline, clock: .continuous) }
}

/// Runs `body` beside `watchdog`: `body`'s value when it ends first, `nil` when the watchdog returns first, the error
/// of whichever throws first. The other one is cancelled and awaited.
public func withWatchdog<T: Sendable>(_ body: @escaping @Sendable () async throws -> T, watchdog: @escaping @Sendable () async throws -> Void) async throws -> T? {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await watchdog()
            return nil
        }
        defer { group.cancelAll() }
        return try await group.next() ?? nil
    }
}
