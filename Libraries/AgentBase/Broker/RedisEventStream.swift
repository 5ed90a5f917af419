/// `EventStream` on Redis: XREAD, with blocking reads on a connection of their own.
public struct RedisEventStream: EventStream {
    let redis: RedisConnection
    let blocking: RedisConnection

    public func events(stream: String, after: String, count: Int, block: Duration?) async throws -> [TaskEvent] {
        var command = ["XREAD", "COUNT", String(count)]
        if let block { command += ["BLOCK", String(max(1, block.milliseconds))] }
        command += ["STREAMS", stream, after]
        let reply = try await (block == nil ? redis : blocking).send(RedisCommand(command))
        guard let streams = reply.array else { return [] }
        return streams.flatMap { ($0.array?.last?.array ?? []).map { TaskEvent(entry: StreamEntry(reply: $0)) } }
    }

    public func lastEventID(stream: String) async throws -> String {
        let reply = try await redis.send(["XREVRANGE", stream, "+", "-", "COUNT", "1"])
        return reply.array?.first.map { StreamEntry(reply: $0).id } ?? "0-0"
    }
}
