import AgentBase
import Foundation

/// One task at a time per repository: an in-process lock for the tasks of this replica, then, when Redis is given,
/// the Redis lock `<prefix>:lock:repo:<hash>` shared with every other replica (expires if its holder dies).
public struct RepositoryLocks: Sendable {
    private let local = LocalLocks()
    private let redis: RedisConnection?
    private let keys: KeySpace
    /// How long a task waits for a repository another task holds.
    public let wait: Duration
    /// Expiry of the Redis lock; renewed every third of it while held.
    public let ttl: Duration

    public init(redis: RedisConnection?, keys: KeySpace, wait: Duration = .seconds(120), ttl: Duration = .seconds(30)) {
        self.redis = redis
        self.keys = keys
        self.wait = wait
        self.ttl = ttl
    }

    /// Runs `body` holding the repository; `GitError.lockTimeout` when it stays busy for the whole wait.
    public func withLock<T: Sendable>(_ repository: RepositoryURL, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let deadline = ContinuousClock.now + wait
        guard try await local.acquire(repository.hash, until: deadline) else { throw GitError.lockTimeout(repository: repository.url, after: wait) }
        do {
            let result = try await withSharedLock(repository, until: deadline, body)
            await local.release(repository.hash)
            return result
        } catch {
            await local.release(repository.hash)
            throw error
        }
    }

    private func withSharedLock<T: Sendable>(_ repository: RepositoryURL, until deadline: ContinuousClock.Instant, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        guard let redis else { return try await body() }
        let lock = RedisLock(connection: redis, key: keys.repositoryLock(repository.hash), ttl: ttl)
        do {
            return try await lock.withLock(wait: max(.zero, deadline - ContinuousClock.now), body)
        } catch RedisLockError.timedOut {
            throw GitError.lockTimeout(repository: repository.url, after: wait)
        }
    }
}

/// The in-process half of `RepositoryLocks`: names held by a task of this process.
actor LocalLocks {
    private var held: Set<String> = []

    /// Takes `name`, polling until `deadline`; `false` when it stayed held.
    func acquire(_ name: String, until deadline: ContinuousClock.Instant) async throws -> Bool {
        while held.contains(name) {
            guard ContinuousClock.now < deadline else { return false }
            try await Task.sleep(for: .milliseconds(50))
        }
        held.insert(name)
        return true
    }

    func release(_ name: String) {
        held.remove(name)
    }
}

extension KeySpace {
    /// `sb:lock:repo:<hash>`: the lock of one repository (`hash` of its clone URL, `RepositoryURL.hash`), held by one task at a time.
    public func repositoryLock(_ hash: String) -> String { "\(prefix):lock:repo:\(hash)" }
}
