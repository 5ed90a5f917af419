import Foundation

/// `ConsumerGroups` on Redis: commands on the shared connection, blocking XREADGROUP on a connection of its own so a
/// waiting read never holds up acks and state writes.
public struct RedisConsumerGroups: ConsumerGroups {
    let redis: RedisConnection
    let blocking: RedisConnection

    public func ensureGroup(stream: String, group: String, startingAt: String) async throws {
        do {
            try await redis.send(["XGROUP", "CREATE", stream, group, startingAt, "MKSTREAM"])
        } catch RedisError.server(let message) where message.hasPrefix("BUSYGROUP") {
            return
        }
    }

    public func read(stream: String, group: String, consumer: String, count: Int, block: Duration, history: Bool, after: String) async throws -> Fetched {
        var command = ["XREADGROUP", "GROUP", group, consumer, "COUNT", String(count)]
        if !history { command += ["BLOCK", String(max(1, block.milliseconds))] }
        command += ["STREAMS", stream, history ? after : ">"]
        let reply = try await (history ? redis : blocking).send(RedisCommand(command))
        guard let streams = reply.array else { return Fetched() }
        var fetched = Fetched()
        for streamReply in streams {
            guard let pair = streamReply.array, pair.count == 2, let entries = pair[1].array else { continue }
            for entry in entries { fetched.append(StreamEntry(reply: entry)) }
        }
        return fetched
    }

    public func reclaim(stream: String, group: String, consumer: String, minIdle: Duration, count: Int, cursor: String) async throws -> (Fetched, String) {
        let reply = try await redis.send(["XAUTOCLAIM", stream, group, consumer, String(minIdle.milliseconds), cursor, "COUNT", String(count)])
        guard let parts = reply.array, parts.count >= 2 else { throw RedisError.unexpectedReply("XAUTOCLAIM: \(reply)") }
        var fetched = Fetched()
        for entry in parts[1].array ?? [] { fetched.append(StreamEntry(reply: entry)) }
        if parts.count >= 3 { fetched.deletedIDs += (parts[2].array ?? []).compactMap(\.string) }
        return (fetched, parts[0].string ?? "0-0")
    }

    public func extendLeases(stream: String, group: String, consumer: String, ids: [String]) async throws {
        if ids.isEmpty { return }
        try await redis.send(RedisCommand(["XCLAIM", stream, group, consumer, "0"] + ids + ["JUSTID"]))
    }

    public func ack(stream: String, group: String, ids: [String]) async throws {
        if ids.isEmpty { return }
        try await redis.send(RedisCommand(["XACK", stream, group] + ids))
    }

    public func trimProcessed(stream: String, group: String, retention: Duration) async throws -> Int {
        let replies = try await redis.pipeline([["XINFO", "GROUPS", stream], ["XPENDING", stream, group]])
        guard let groups = try replies[0].orThrow().array else { return 0 }
        var lastDelivered: String?
        for entry in groups {
            let fields = Dictionary(entry.fieldPairs ?? [], uniquingKeysWith: { first, _ in first })
            if fields["name"] == group { lastDelivered = fields["last-delivered-id"] }
        }
        guard var safe = lastDelivered, safe != "0-0" else { return 0 }
        if let oldestPending = try replies[1].orThrow().array, oldestPending.count > 1, let id = oldestPending[1].string {
            safe = StreamID.less(id, safe) ? id : safe
        }
        let cutoff = "\(max(0, Int(Date().timeIntervalSince1970 * 1000) - retention.milliseconds))-0"
        let minID = StreamID.less(cutoff, safe) ? cutoff : safe
        return try await redis.send(["XTRIM", stream, "MINID", minID]).int ?? 0
    }

    public func removeIdleConsumers(stream: String, group: String, idle: Duration, keeping: String) async throws -> [String] {
        let consumers = try await redis.send(["XINFO", "CONSUMERS", stream, group]).array ?? []
        let gone = consumers.compactMap { reply -> String? in
            let fields = Dictionary(reply.fieldPairs ?? [], uniquingKeysWith: { first, _ in first })
            guard let name = fields["name"], name != keeping, fields["pending"] == "0",
                  let idleMs = fields["idle"].flatMap(Int.init), idleMs > idle.milliseconds else { return nil }
            return name
        }
        if !gone.isEmpty { _ = try await redis.pipeline(gone.map { ["XGROUP", "DELCONSUMER", stream, group, $0] }) }
        return gone
    }
}
