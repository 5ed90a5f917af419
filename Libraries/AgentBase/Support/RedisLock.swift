import Foundation

/// A lock shared by every process on one Redis: `SET key token NX PX ttl`, renewed while held, released
/// by a compare-and-delete script, so an expired holder can never release a lock someone else took since.
public struct RedisLock: Sendable {
    /// The key the lock lives under.
    public let key: String
    /// How long the lock outlives a holder that stopped renewing it (a crashed process).
    public let ttl: Duration
    private let connection: RedisConnection

    /// A proof of holding the lock: the random token stored under the key.
    public struct Lease: Sendable, Hashable {
        public let token: String
    }

    public init(connection: RedisConnection, key: String, ttl: Duration = .seconds(30)) {
        self.connection = connection
        self.key = key
        self.ttl = ttl
    }

    /// Takes the lock when it is free; `nil` when someone holds it.
    public func tryAcquire() async throws -> Lease? {
        let token = UUID().uuidString
        let reply = try await connection.send(["SET", key, token, "NX", "PX", String(ttl.milliseconds)]).orThrow()
        return reply.isNull ? nil : Lease(token: token)
    }

    /// Extends the lease to a full `ttl` again; `false` when the lock was lost (expired and taken).
    public func renew(_ lease: Lease) async throws -> Bool {
        try await script(Self.renewScript, lease, extra: [String(ttl.milliseconds)])
    }

    /// Releases the lock if this lease still holds it; `false` when it had already expired.
    @discardableResult
    public func release(_ lease: Lease) async throws -> Bool {
        try await script(Self.releaseScript, lease, extra: [])
    }

    /// Runs `body` holding the lock: waits up to `wait` for it (else `RedisLockError.timedOut`), renews it every
    /// third of `ttl` while `body` runs (cancelling `body` with `RedisLockError.lost` if it is lost), then releases it.
    public func withLock<T: Sendable>(wait: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let deadline = ContinuousClock.now + wait
        var lease = try await tryAcquire()
        while lease == nil {
            guard ContinuousClock.now < deadline else { throw RedisLockError.timedOut(key: key, after: wait) }
            try await Task.sleep(for: .milliseconds(100))
            lease = try await tryAcquire()
        }
        guard let lease else { throw RedisLockError.timedOut(key: key, after: wait) }
        do {
            let renewed = try await withWatchdog(body) {
                while true {
                    try await Task.sleep(for: ttl / 3)
                    guard try await renew(lease) else { throw RedisLockError.lost(key: key) }
                }
            }
            guard let result = renewed else { throw RedisLockError.lost(key: key) }
            _ = try? await release(lease)
            return result
        } catch {
            _ = try? await release(lease)
            throw error
        }
    }

    private func script(_ source: String, _ lease: Lease, extra: [String]) async throws -> Bool {
        let reply = try await connection.send(RedisCommand(["EVAL", source, "1", key, lease.token] + extra)).orThrow()
        return reply.int == 1
    }

    static let releaseScript = """
    if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
    return 0
    """

    static let renewScript = """
    if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
    return 0
    """
}

/// Why a `RedisLock` could not be held.
public enum RedisLockError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Someone else held the lock for the whole wait.
    case timedOut(key: String, after: Duration)
    /// The lease expired and could not be renewed while the body ran.
    case lost(key: String)

    public var description: String {
        switch self {
        case .timedOut(let key, let wait): return "lock \(key) is held by another task; gave up after \(wait)"
        case .lost(let key): return "lock \(key) expired while held (Redis unreachable or too slow to renew); the work was stopped"
        }
    }
}
