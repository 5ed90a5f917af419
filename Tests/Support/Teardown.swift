/// Runs `body`, then awaits `teardown` whether the body returned or threw: the awaited replacement for
/// `defer { Task { await x.stop() } }`, whose stop nobody waits for.
public func withTeardown<R>(_ body: () async throws -> R, teardown: () async -> Void) async throws -> R {
    let result: R
    do {
        result = try await body()
    } catch {
        await teardown()
        throw error
    }
    await teardown()
    return result
}
