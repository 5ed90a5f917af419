import AgentBase
import Foundation
import GitKit
import SwitchboardTesting
import Testing

/// The Redis lock excludes a second holder, is renewed while held, and expires when its holder stops renewing.
struct LockTests {
    @Test func aSecondHolderIsExcludedUntilReleaseOrExpiry() async throws {
        let bus = try TestBus()
        defer { bus.broker.close() }
        let key = bus.keys.repositoryLock(try RepositoryURL("/srv/git/demo.git").hash)
        #expect(key.hasPrefix("\(bus.keys.prefix):lock:repo:"))
        let first = RedisLock(connection: bus.broker.redis, key: key, ttl: .seconds(5))
        let second = RedisLock(connection: try bus.replicaBroker().redis, key: key, ttl: .seconds(5))

        let lease = try #require(try await first.tryAcquire())
        #expect(try await second.tryAcquire() == nil)
        await #expect(throws: RedisLockError.self) { try await second.withLock(wait: .milliseconds(200)) { 1 } }
        #expect(try await first.release(lease))
        #expect(try await first.release(lease) == false)
        #expect(try await second.tryAcquire() != nil)

        // Long enough that a busy machine cannot expire it between the two first calls; expiry is then awaited, not timed.
        let abandoned = RedisLock(connection: bus.broker.redis, key: bus.keys.repositoryLock("abandoned"), ttl: .seconds(3))
        #expect(try await abandoned.tryAcquire() != nil)
        #expect(try await abandoned.tryAcquire() == nil)
        try await eventually("the abandoned lock expires") { try await abandoned.tryAcquire() != nil }
    }

    @Test func aHeldLockIsRenewedWhileItsBodyRuns() async throws {
        let bus = try TestBus()
        defer { bus.broker.close() }
        // The body outlives the TTL by half again; the TTL leaves room for renewals delayed by a busy machine.
        let lock = RedisLock(connection: bus.broker.redis, key: bus.keys.repositoryLock("renewed"), ttl: .seconds(4))
        let other = RedisLock(connection: bus.broker.redis, key: lock.key, ttl: .seconds(4))

        let stolen = try await lock.withLock(wait: .seconds(1)) {
            try await Task.sleep(for: .seconds(6))
            return try await other.tryAcquire() != nil
        }
        #expect(!stolen)
        #expect(try await other.tryAcquire() != nil)
    }

    @Test func repositoryLocksSerialiseTasksOnOneRepository() async throws {
        let bus = try TestBus()
        defer { bus.broker.close() }
        let locks = RepositoryLocks(redis: bus.broker.redis, keys: bus.keys, wait: .seconds(10))
        let repository = try RepositoryURL("/srv/git/demo.git")
        let tally = Tally()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<3 {
                group.addTask {
                    try await locks.withLock(repository) {
                        tally.record("enter \(index)")
                        try await Task.sleep(for: .milliseconds(100))
                        tally.record("leave \(index)")
                    }
                }
            }
            try await group.waitForAll()
        }
        let sequence = tally.sequence
        #expect(sequence.count == 6)
        for pair in stride(from: 0, to: 6, by: 2) {
            #expect(sequence[pair].dropFirst(6) == sequence[pair + 1].dropFirst(6))
        }
        let short = RepositoryLocks(redis: bus.broker.redis, keys: bus.keys, wait: .milliseconds(200))
        let holder = RedisLock(connection: bus.broker.redis, key: bus.keys.repositoryLock(repository.hash))
        let lease = try #require(try await holder.tryAcquire())
        await #expect(throws: GitError.lockTimeout(repository: repository.url, after: .milliseconds(200))) { try await short.withLock(repository) { 1 } }
        try await holder.release(lease)
    }
}
