import AgentBase
import Foundation

/// Lists tasks newest first from the index `sb:tasks` (sorted set by creation time), reading only the fields a list
/// shows and only as many tasks as it takes to fill a page (at most `scanLimit` per page when filters skip most).
struct TaskIndex: Sendable {
    let redis: RedisConnection
    let keys: KeySpace
    /// The task hash fields a list shows.
    static let listFields = ["status", "type", "agent", "source", "created_at", "updated_at", "finished_at", "error", "progress", "tokens_in", "tokens_out", "cost_usd"]
    /// The most index entries one page looks at.
    static let scanLimit = 5000

    /// One page: the tasks, and the cursor of the next page when there may be more.
    struct Page: Sendable {
        var tasks: [TaskSnapshot]
        var next: String?
    }

    /// Tasks matching `filter`, newest first, after `cursor` (`<ms>-<task>` from a previous page).
    func list(_ filter: TaskFilter, after cursor: String?, limit: Int) async throws -> Page {
        var (maxScore, skipFrom) = Self.parse(cursor)
        if let until = filter.until { maxScore = min(maxScore ?? (until - 1), until - 1) }
        let minScore = filter.since.map(String.init) ?? "-inf"
        var found: [TaskSnapshot] = []
        var scanned = 0
        var last: (id: String, score: Int64)?
        while found.count < limit, scanned < Self.scanLimit {
            // Without filters a page reads exactly the tasks it shows.
            let chunk = min(filter == TaskFilter() ? limit - found.count : 200, Self.scanLimit - scanned)
            // Entries sharing the cursor's millisecond come again and are skipped, so ask for enough of them.
            let reply = try await redis.send([
                "ZREVRANGEBYSCORE", keys.taskIndex, maxScore.map(String.init) ?? "+inf", minScore, "WITHSCORES", "LIMIT", "0", String(chunk + 16),
            ])
            let fetched = Self.pairs(reply)
            let entries = Array(fetched.filter { skipFrom == nil || $0.score != maxScore || $0.id < skipFrom! }.prefix(chunk))
            guard !entries.isEmpty else { return Page(tasks: found, next: nil) }
            let hashes = try await redis.pipeline(entries.map { RedisCommand(["HMGET", keys.task($0.id)] + Self.listFields) })
            for (entry, hash) in zip(entries, hashes) {
                scanned += 1
                last = entry
                var fields: [String: String] = [:]
                for (name, value) in zip(Self.listFields, hash.array ?? []) { if let text = value.string { fields[name] = text } }
                if !fields.isEmpty, filter.matches(fields) { found.append(TaskSnapshot(id: entry.id, fields: fields)) }
                if found.count == limit { break }
            }
            if fetched.count < chunk + 16, last?.id == entries.last?.id, found.count < limit { return Page(tasks: found, next: nil) }
            maxScore = last?.score
            skipFrom = last?.id
        }
        return Page(tasks: found, next: last.map { "\($0.score)-\($0.id)" })
    }

    /// How many tasks of each status were created since `since` (Unix ms), over at most `scanLimit` newest ones.
    func countByStatus(since: Int64) async throws -> (counts: [String: Int], capped: Bool) {
        let reply = try await redis.send(["ZREVRANGEBYSCORE", keys.taskIndex, "+inf", String(since), "LIMIT", "0", String(Self.scanLimit)])
        let ids = (reply.array ?? []).compactMap(\.string)
        var counts: [String: Int] = [:]
        for start in stride(from: 0, to: ids.count, by: 500) {
            let slice = ids[start..<min(start + 500, ids.count)]
            let replies = try await redis.pipeline(slice.map { ["HGET", keys.task($0), "status"] })
            for reply in replies { if let status = reply.string { counts[status.lowercased(), default: 0] += 1 } }
        }
        return (counts, ids.count == Self.scanLimit)
    }

    private static func parse(_ cursor: String?) -> (Int64?, String?) {
        guard let cursor, let dash = cursor.firstIndex(of: "-"), let score = Int64(cursor[..<dash]) else { return (nil, nil) }
        return (score, String(cursor[cursor.index(after: dash)...]))
    }

    private static func pairs(_ reply: RedisReply) -> [(id: String, score: Int64)] {
        let items = reply.array ?? []
        return stride(from: 0, to: items.count - 1, by: 2).compactMap { index in
            guard let id = items[index].string, let score = items[index + 1].string.flatMap({ Double($0) }) else { return nil }
            return (id, Int64(score))
        }
    }
}

extension TaskIndex {
    /// The request entry a task was published as (`type`, `payload`, …), while the agent's stream still holds it.
    func request(of snapshot: TaskSnapshot) async throws -> [String: String]? {
        guard let stream = snapshot.fields["stream"], let entry = snapshot.fields["entry"], !entry.isEmpty else { return nil }
        let reply = try await redis.send(["XRANGE", stream, entry, entry])
        guard let first = reply.array?.first, let fields = StreamEntry(reply: first).fields else { return nil }
        return Dictionary(fields, uniquingKeysWith: { first, _ in first })
    }
}
