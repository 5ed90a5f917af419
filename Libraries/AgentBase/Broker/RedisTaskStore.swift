import Foundation

/// `TaskStore` on Redis: the task scripts (`TaskScripts`) for every state change with its event, plain hash reads
/// on the shared command connection.
public struct RedisTaskStore: TaskStore {
    let redis: RedisConnection
    let scripts: ScriptCache
    let context: ScriptContext
    private let finishes: Coalescer<TaskOutcome>

    init(redis: RedisConnection, scripts: ScriptCache, context: ScriptContext, deadLetterMaxLength: Int) {
        self.redis = redis
        self.scripts = scripts
        self.context = context
        self.finishes = Coalescer { outcomes in
            try await Self.finish(outcomes, scripts: scripts, context: context, deadLetterMaxLength: deadLetterMaxLength)
        }
    }

    private var keys: KeySpace { context.keys }

    public func task(_ id: String) async throws -> TaskSnapshot? {
        let reply = try await redis.send(["HGETALL", keys.task(id)])
        guard let pairs = reply.fieldPairs, !pairs.isEmpty else { return nil }
        return TaskSnapshot(id: id, fields: Dictionary(pairs, uniquingKeysWith: { first, _ in first }))
    }

    public func begin(_ starts: [TaskStart], stream: String, group: String, maxAttempts: Int, instance: String) async throws -> [StartVerdict] {
        if starts.isEmpty { return [] }
        var arguments = context.common() + [stream, group, String(maxAttempts), instance]
        arguments.reserveCapacity(arguments.count + starts.count * 8)
        for start in starts {
            ScriptItem(task: start.task, entry: start.entryID, envelope: start.envelope, agent: start.agent, idempotencyKey: start.idempotencyKey).append(to: &arguments)
        }
        let reply = try await scripts.run(TaskScripts.begin, keys: [keys.events], arguments: arguments)
        guard let rows = reply.array, rows.count == starts.count else { throw RedisError.unexpectedReply("begin: \(reply)") }
        return rows.map { row in
            let parts = row.array ?? []
            let detail = parts.count > 1 ? parts[1].string ?? "" : ""
            switch parts.first?.string {
            case "run": return .run(attempt: Int(detail) ?? 1)
            case "done": return .done(TaskStatus(rawValue: detail) ?? .completed)
            case "cancelled": return .cancelled
            case "duplicate": return .duplicate(of: detail)
            case "defer": return .deferred(owner: detail)
            case "badreply": return .invalidReplyTo(keyType: detail)
            default: return .exhausted(attempts: Int(detail) ?? maxAttempts, lastError: parts.count > 2 ? parts[2].string ?? "" : "")
            }
        }
    }

    /// Concurrent calls are coalesced: whatever outcomes arrive while one script call is on the
    /// wire go together in the next (one EVALSHA, one XACK per stream).
    public func finish(_ outcomes: [TaskOutcome]) async throws {
        if outcomes.isEmpty { return }
        try await finishes.submit(outcomes)
    }

    private static func finish(_ outcomes: [TaskOutcome], scripts: ScriptCache, context: ScriptContext, deadLetterMaxLength: Int) async throws {
        var arguments = context.common() + [String(deadLetterMaxLength)]
        arguments.reserveCapacity(arguments.count + outcomes.count * 20)
        for outcome in outcomes {
            var item = ScriptItem(task: outcome.task, entry: outcome.ack?.entryID, envelope: outcome.envelope, agent: outcome.agent, idempotencyKey: nil)
            item.add("status", outcome.status.rawValue)
            item.add("payload", outcome.eventPayload)
            item.add("result", outcome.result)
            item.add("text", outcome.text)
            item.add("error", outcome.failure?.reason)
            item.add("code", outcome.failure?.error)
            item.add("stream", outcome.ack?.stream)
            item.add("group", outcome.ack?.group)
            item.add("dlq", outcome.deadLetter?.stream)
            item.append(to: &arguments)
            let deadFields = outcome.deadLetter?.fields ?? []
            arguments.append(String(deadFields.count))
            for (name, value) in deadFields { arguments += [name, value] }
        }
        _ = try await scripts.run(TaskScripts.finish, keys: [context.keys.events], arguments: arguments)
    }

    public func progress(task: String, message: String, percent: Double?) async throws {
        let payload = try JSONCoding.string(TaskProgress(message: message, percent: percent))
        _ = try await scripts.run(TaskScripts.progress, keys: [keys.events], arguments: context.common() + [task, payload, message, "progress", ""])
    }

    public func recordRetry(task: String, error: String, message: String) async throws -> Int {
        let payload = try JSONCoding.string(TaskProgress(message: message, percent: nil))
        let reply = try await scripts.run(TaskScripts.progress, keys: [keys.events], arguments: context.common() + [task, payload, message, "retry", error])
        return reply.int ?? 0
    }

    public func recordUsage(task: String, usage: Usage, totals: [String]) async throws {
        let increments: [(String, [String])] = [("HINCRBY", ["tokens_in", String(usage.tokensIn)]), ("HINCRBY", ["tokens_out", String(usage.tokensOut)]), ("HINCRBYFLOAT", ["cost_usd", String(usage.costUSD)])]
        var pipeline: [RedisCommand] = increments.map { RedisCommand([$0.0, keys.task(task)] + $0.1) }
        for key in totals {
            pipeline += increments.map { RedisCommand([$0.0, key] + $0.1) }
            pipeline.append(["HINCRBY", key, "calls", "1"])
            // Each ledger hash is ranked by its spend in its kind's index (`sb:usage:index:<kind>`), so reports list the
            // biggest spenders without scanning the keyspace.
            if let (kind, name) = keys.usageKindAndName(key) {
                pipeline.append(["ZINCRBY", keys.usageIndex(kind: kind), String(usage.costUSD), name])
            }
        }
        _ = try await redis.pipeline(pipeline)
    }

    public func trimTaskIndex() async throws -> Int {
        let cutoff = Int(Date().timeIntervalSince1970 * 1000) - context.taskTTL.milliseconds
        return try await redis.send(["ZREMRANGEBYSCORE", keys.taskIndex, "-inf", "(\(cutoff)"]).orThrow().int ?? 0
    }

    public func usageTotals(_ key: String) async throws -> UsageTotals {
        let values = try await redis.send(["HMGET", key, "tokens_in", "tokens_out", "cost_usd", "calls"]).array?.map(\.string) ?? []
        func number(_ index: Int) -> Double { values.indices.contains(index) ? values[index].flatMap { Double($0) } ?? 0 : 0 }
        return UsageTotals(tokensIn: Int(number(0)), tokensOut: Int(number(1)), costUSD: number(2), calls: Int(number(3)))
    }

    public func requestCancel(task: String) async throws -> CancelRequest {
        let reply = try await scripts.run(TaskScripts.cancel, keys: [keys.events], arguments: context.common() + [task])
        let parts = reply.array ?? []
        switch parts.first?.string {
        case "final": return .alreadyEnded(parts.count > 1 ? parts[1].string.flatMap(TaskStatus.init(rawValue:)) : nil)
        case "cancelled": return .cancelled
        case "requested": return .requested
        default: return .unknownTask
        }
    }

    public func cancelRequested(tasks: [String]) async throws -> Set<String> {
        if tasks.isEmpty { return [] }
        let replies = try await redis.pipeline(tasks.map { ["HGET", keys.task($0), "cancel_requested"] })
        return Set(zip(tasks, replies).filter { $0.1.string == "1" }.map(\.0))
    }
}
