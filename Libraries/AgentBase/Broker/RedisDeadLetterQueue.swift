import Foundation

/// `DeadLetterQueue` on Redis: XRANGE to read, XADD of the original fields and XDEL in one round trip to replay.
public struct RedisDeadLetterQueue: DeadLetterQueue {
    let redis: RedisConnection
    let keys: KeySpace

    public func deadLetters(agent: String, count: Int) async throws -> [StreamEntry] {
        let reply = try await redis.send(["XRANGE", keys.deadLetters(agent), "-", "+", "COUNT", String(count)])
        return (reply.array ?? []).map(StreamEntry.init(reply:))
    }

    public func replayDeadLetter(agent: String, id: String, stream: String) async throws -> String {
        let dlq = keys.deadLetters(agent)
        let reply = try await redis.send(["XRANGE", dlq, id, id])
        guard let entry = reply.array?.first.map(StreamEntry.init(reply:)), let fields = entry.fields else {
            throw BrokerError.notFound("no dead letter \(id) in \(dlq)")
        }
        let original = fields.filter { !DeadLetterFields.metadata.contains($0.0) && $0.0 != "task" }
        let previousTask = entry["task"] ?? entry[DeadLetterFields.entry] ?? id
        var command = ["XADD", stream, "*"]
        for (name, value) in original { command += [name, value] }
        command += ["task", "\(previousTask)-replay-\(UUID().uuidString.prefix(8).lowercased())", "replay_of", previousTask]
        let replies = try await redis.pipeline([RedisCommand(command), ["XDEL", dlq, id]])
        return try replies[0].orThrow().string ?? ""
    }
}
