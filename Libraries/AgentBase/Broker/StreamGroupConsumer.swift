import Logging

/// One consumer of a stream's consumer group, read at least once: its own pending entries first (from ID 0), then
/// new ones (`>`), with a sweep of entries idle past `reclaimIdle` (XAUTOCLAIM) every `reclaimEvery`; a group found
/// gone (NOGROUP) is created again. Owned by one reading loop.
public struct StreamGroupConsumer: Sendable {
    /// Where a batch came from.
    public enum Source: Sendable, Hashable {
        case ownPending
        case new
        case reclaimed
    }

    /// Entries read in one call, with the ids of pending entries found deleted (to ack, never to handle).
    public struct Batch: Sendable {
        public var fetched: Fetched
        public var source: Source

        public var isEmpty: Bool { fetched.entries.isEmpty && fetched.deletedIDs.isEmpty }
        /// Every id the batch holds, handled or deleted.
        public var ids: [String] { fetched.entries.map(\.id) + fetched.deletedIDs }
    }

    public let groups: any ConsumerGroups
    public let stream: String
    public let group: String
    public let consumer: String
    /// Where a group created here starts: `0` (the whole stream) or `$` (only what comes next).
    public let startingAt: String
    public let block: Duration
    public let reclaimIdle: Duration
    public let reclaimEvery: Duration
    /// The pause after a broker error other than NOGROUP.
    public let retryDelay: Duration
    let logger: Logger

    private var needsGroup = true
    /// The last own pending id read, while own pending entries are being read; nil once they are done.
    private var pendingAfter: String? = "0"
    /// The XAUTOCLAIM cursor while a sweep is under way.
    private var sweepCursor: String?
    private var nextSweep: ContinuousClock.Instant

    public init(
        groups: any ConsumerGroups, stream: String, group: String, consumer: String, startingAt: String = "0",
        block: Duration, reclaimIdle: Duration, reclaimEvery: Duration? = nil, retryDelay: Duration = .milliseconds(200), logger: Logger
    ) {
        self.groups = groups
        self.stream = stream
        self.group = group
        self.consumer = consumer
        self.startingAt = startingAt
        self.block = block
        self.reclaimIdle = reclaimIdle
        self.reclaimEvery = reclaimEvery ?? min(max(reclaimIdle / 2, .milliseconds(100)), .seconds(30))
        self.retryDelay = retryDelay
        self.logger = logger
        self.nextSweep = .now + self.reclaimEvery
    }

    /// Creates the group unless it exists.
    public mutating func ensureGroup() async throws {
        try await groups.ensureGroup(stream: stream, group: group, startingAt: startingAt)
        needsGroup = false
    }

    /// The next batch of at most `count` entries (waiting up to `block` for new ones). A broker error is logged and
    /// answered with an empty batch, after recreating a lost group or pausing `retryDelay`.
    public mutating func next(upTo count: Int) async -> Batch {
        do {
            if needsGroup { try await ensureGroup() }
            if let after = pendingAfter { return try await readOwnPending(after: after, count: count) }
            if sweepCursor != nil || ContinuousClock.now >= nextSweep { return try await sweep(count: count) }
            let fetched = try await groups.read(stream: stream, group: group, consumer: consumer, count: count, block: block, history: false, after: ">")
            return Batch(fetched: fetched, source: .new)
        } catch {
            await recover(from: error)
            return Batch(fetched: Fetched(), source: .new)
        }
    }

    /// Acknowledges entries (XACK).
    public func ack(_ ids: [String]) async throws {
        if ids.isEmpty { return }
        try await groups.ack(stream: stream, group: group, ids: ids)
    }

    private mutating func readOwnPending(after: String, count: Int) async throws -> Batch {
        let fetched = try await groups.read(stream: stream, group: group, consumer: consumer, count: count, block: block, history: true, after: after)
        let batch = Batch(fetched: fetched, source: .ownPending)
        if batch.isEmpty {
            pendingAfter = nil
        } else {
            pendingAfter = batch.ids.max(by: StreamID.less) ?? after
            logger.info("resuming own pending entries", metadata: ["stream": "\(stream)", "count": "\(batch.ids.count)"])
        }
        return batch
    }

    private mutating func sweep(count: Int) async throws -> Batch {
        let (fetched, cursor) = try await groups.reclaim(
            stream: stream, group: group, consumer: consumer, minIdle: reclaimIdle, count: count, cursor: sweepCursor ?? "0-0"
        )
        if cursor == "0-0" {
            sweepCursor = nil
            nextSweep = .now + reclaimEvery
        } else {
            sweepCursor = cursor
        }
        if !fetched.entries.isEmpty {
            logger.info("reclaimed idle entries", metadata: ["stream": "\(stream)", "count": "\(fetched.entries.count)"])
        }
        return Batch(fetched: fetched, source: .reclaimed)
    }

    private mutating func recover(from error: any Error) async {
        if Task.isCancelled { return }
        if let redisError = error as? RedisError, redisError.isNoGroup {
            logger.warning("consumer group or stream is gone; recreating it", metadata: ["stream": "\(stream)", "group": "\(group)"])
            needsGroup = true
            return
        }
        logger.warning("broker error; retrying", metadata: ["stream": "\(stream)", "group": "\(group)", "error": "\(error)"])
        try? await Task.sleep(for: retryDelay)
    }
}
