import Foundation
import Logging
import Synchronization

/// `MessageBroker` on Redis Streams: an auto-pipelined connection for commands, two for the task-state
/// scripts (so one batch's script runs in Redis while the next is being prepared), and one for
/// blocking reads, so a waiting XREADGROUP never holds up acks and state writes.
public final class RedisStreamBroker: MessageBroker {
    public let keys: KeySpace
    /// How long task hashes and idempotency keys live (default 7 days).
    public let taskTTL: Duration
    /// Approximate MAXLEN of `sb:events` and `reply_to` streams.
    public let eventsMaxLength: Int
    /// Approximate MAXLEN of each dead-letter stream.
    public let deadLetterMaxLength: Int
    public let commands: RedisConnection
    private let blocking: RedisConnection
    private let scriptConnections: [RedisConnection]
    private let scripts: ScriptCache
    private let finishes: Coalescer<TaskOutcome>
    private let context: ScriptContext

    public init(configuration: RedisConfiguration, keys: KeySpace = KeySpace(), taskTTL: Duration = .seconds(7 * 24 * 3600), eventsMaxLength: Int = 1_000_000, deadLetterMaxLength: Int = 100_000, logger: Logger = Logger(label: "switchboard.broker")) {
        self.keys = keys
        self.taskTTL = taskTTL
        self.eventsMaxLength = eventsMaxLength
        self.deadLetterMaxLength = deadLetterMaxLength
        self.commands = RedisConnection(configuration: configuration, name: "commands", logger: logger)
        self.blocking = RedisConnection(configuration: configuration, name: "blocking-reads", commandTimeout: configuration.commandTimeout + .seconds(30), logger: logger)
        self.scriptConnections = (1...2).map { RedisConnection(configuration: configuration, name: "scripts-\($0)", logger: logger) }
        let scripts = ScriptCache(connections: scriptConnections)
        self.scripts = scripts
        let context = ScriptContext(keys: keys, taskTTL: taskTTL, eventsMaxLength: eventsMaxLength)
        self.context = context
        self.finishes = Coalescer { outcomes in
            try await Self.finish(outcomes, scripts: scripts, context: context, deadLetterMaxLength: deadLetterMaxLength)
        }
    }

    /// Closes both connections.
    public func close() {
        commands.close()
        blocking.close()
        for connection in scriptConnections { connection.close() }
    }

    /// Sends any command on the command connection (for tools and tests).
    @discardableResult
    public func send(_ command: RedisCommand) async throws -> RedisReply {
        try await commands.send(command)
    }

    public func setValue(_ value: String, forKey key: String, ttl: Duration) async throws {
        _ = try await commands.send(["SET", key, value, "PX", String(max(1, ttl.milliseconds))])
    }

    public func value(forKey key: String) async throws -> String? {
        try await commands.send(["GET", key]).string
    }

    // MARK: Streams

    public func publish(_ envelope: Envelope, to stream: String) async throws -> String {
        try await publish([envelope], to: stream)[0]
    }

    public func publish(_ envelopes: [Envelope], to stream: String) async throws -> [String] {
        let replies = try await commands.pipeline(envelopes.map { envelope in
            var command = ["XADD", stream, "*"]
            for (name, value) in envelope.fields { command += [name, value] }
            return RedisCommand(command)
        })
        return try replies.map { try $0.orThrow().string ?? "" }
    }

    public func submit(_ envelope: Envelope, task: String, agent: String, stream: String) async throws -> Submission {
        var fields = envelope
        fields.task = task
        var arguments: [String] = []
        ScriptItem(task: task, entry: nil, envelope: envelope, agent: agent, idempotencyKey: envelope.idempotencyKey).append(to: &arguments)
        for (name, value) in fields.fields { arguments += [name, value] }
        let reply = try await scripts.run(TaskScripts.submit, keys: [keys.events, stream], arguments: context.common() + arguments)
        guard let parts = reply.array, parts.count == 2, let verdict = parts[0].string else { throw RedisError.unexpectedReply("submit: \(reply)") }
        if verdict == "queued" { return .queued(entryID: parts[1].string ?? "") }
        return .exists(status: parts[1].string.flatMap(TaskStatus.init(rawValue:)))
    }

    public func claimIdempotencyKey(_ key: String, task: String) async throws -> String? {
        let replies = try await commands.pipeline([["SET", key, task, "NX", "PX", String(taskTTL.milliseconds)], ["GET", key]])
        if case .status = replies[0] { return nil }
        return try replies[1].orThrow().string
    }

    /// Frees a key claimed for a task that was then not submitted, while the key still names that task (so sending
    /// again is not answered with a task that never existed). Best effort: a failure only leaves the key to expire.
    public func releaseIdempotencyKey(_ key: String, task: String) async {
        _ = try? await commands.send(["EVAL", "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0", "1", key, task])
    }

    public func ensureGroup(stream: String, group: String, startingAt: String) async throws {
        do {
            try await commands.send(["XGROUP", "CREATE", stream, group, startingAt, "MKSTREAM"])
        } catch RedisError.server(let message) where message.hasPrefix("BUSYGROUP") {
            return
        }
    }

    public func read(stream: String, group: String, consumer: String, count: Int, block: Duration, history: Bool, after: String) async throws -> Fetched {
        var command = ["XREADGROUP", "GROUP", group, consumer, "COUNT", String(count)]
        if !history { command += ["BLOCK", String(max(1, block.milliseconds))] }
        command += ["STREAMS", stream, history ? after : ">"]
        let reply = try await (history ? commands : blocking).send(RedisCommand(command))
        guard let streams = reply.array else { return Fetched() }
        var fetched = Fetched()
        for streamReply in streams {
            guard let pair = streamReply.array, pair.count == 2, let entries = pair[1].array else { continue }
            for entry in entries {
                let parsed = Self.entry(entry)
                if parsed.fields == nil { fetched.deletedIDs.append(parsed.id) } else { fetched.entries.append(parsed) }
            }
        }
        return fetched
    }

    public func reclaim(stream: String, group: String, consumer: String, minIdle: Duration, count: Int, cursor: String) async throws -> (Fetched, String) {
        let reply = try await commands.send(["XAUTOCLAIM", stream, group, consumer, String(minIdle.milliseconds), cursor, "COUNT", String(count)])
        guard let parts = reply.array, parts.count >= 2 else { throw RedisError.unexpectedReply("XAUTOCLAIM: \(reply)") }
        var fetched = Fetched()
        for entry in parts[1].array ?? [] {
            let parsed = Self.entry(entry)
            if parsed.fields == nil { fetched.deletedIDs.append(parsed.id) } else { fetched.entries.append(parsed) }
        }
        if parts.count >= 3 { fetched.deletedIDs += (parts[2].array ?? []).compactMap(\.string) }
        return (fetched, parts[0].string ?? "0-0")
    }

    public func trimProcessed(stream: String, group: String, retention: Duration) async throws -> Int {
        let replies = try await commands.pipeline([["XINFO", "GROUPS", stream], ["XPENDING", stream, group]])
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
        return try await commands.send(["XTRIM", stream, "MINID", minID]).int ?? 0
    }

    public func removeIdleConsumers(stream: String, group: String, idle: Duration, keeping: String) async throws -> [String] {
        let consumers = try await commands.send(["XINFO", "CONSUMERS", stream, group]).array ?? []
        let gone = consumers.compactMap { reply -> String? in
            let fields = Dictionary(reply.fieldPairs ?? [], uniquingKeysWith: { first, _ in first })
            guard let name = fields["name"], name != keeping, fields["pending"] == "0",
                  let idleMs = fields["idle"].flatMap(Int.init), idleMs > idle.milliseconds else { return nil }
            return name
        }
        if !gone.isEmpty { _ = try await commands.pipeline(gone.map { ["XGROUP", "DELCONSUMER", stream, group, $0] }) }
        return gone
    }

    public func ack(stream: String, group: String, ids: [String]) async throws {
        if ids.isEmpty { return }
        try await commands.send(RedisCommand(["XACK", stream, group] + ids))
    }

    // MARK: Task state

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

    public func recordUsage(task: String, usage: Usage) async throws {
        try await recordUsage(task: task, usage: usage, totals: [])
    }

    public func recordUsage(task: String, usage: Usage, totals: [String]) async throws {
        let increments: [(String, [String])] = [("HINCRBY", ["tokens_in", String(usage.tokensIn)]), ("HINCRBY", ["tokens_out", String(usage.tokensOut)]), ("HINCRBYFLOAT", ["cost_usd", String(usage.costUSD)])]
        var pipeline: [RedisCommand] = increments.map { RedisCommand([$0.0, keys.task(task)] + $0.1) }
        for key in totals {
            pipeline += increments.map { RedisCommand([$0.0, key] + $0.1) }
            pipeline.append(["HINCRBY", key, "calls", "1"])
        }
        _ = try await commands.pipeline(pipeline)
    }

    public func usageTotals(_ key: String) async throws -> UsageTotals {
        let values = try await commands.send(["HMGET", key, "tokens_in", "tokens_out", "cost_usd", "calls"]).array?.map(\.string) ?? []
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

    public func extendLeases(stream: String, group: String, consumer: String, ids: [String]) async throws {
        if ids.isEmpty { return }
        try await commands.send(RedisCommand(["XCLAIM", stream, group, consumer, "0"] + ids + ["JUSTID"]))
    }

    public func cancelRequested(tasks: [String]) async throws -> Set<String> {
        if tasks.isEmpty { return [] }
        let replies = try await commands.pipeline(tasks.map { ["HGET", keys.task($0), "cancel_requested"] })
        return Set(zip(tasks, replies).filter { $0.1.string == "1" }.map(\.0))
    }

    // MARK: Heartbeats

    public func heartbeat(_ beat: Heartbeat, ttl: Duration) async throws {
        let key = keys.live(beat.agent)
        let replies = try await commands.pipeline([
            ["HSET", key, beat.instance, try JSONCoding.string(beat)],
            ["PEXPIRE", key, String(ttl.milliseconds)],
            ["HGETALL", key],
        ])
        let stale = Self.heartbeats(replies[2]).filter { $0.seenAt + $0.ttlMs < beat.seenAt }.map(\.instance)
        if !stale.isEmpty { try await commands.send(RedisCommand(["HDEL", key] + stale)) }
    }

    public func removeHeartbeat(agent: String, instance: String) async throws {
        try await commands.send(["HDEL", keys.live(agent), instance])
    }

    public func liveInstances(agent: String) async throws -> [Heartbeat] {
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        return Self.heartbeats(try await commands.send(["HGETALL", keys.live(agent)]))
            .filter { $0.seenAt + $0.ttlMs >= now }
            .sorted { $0.instance < $1.instance }
    }

    // MARK: Reading back

    public func task(_ id: String) async throws -> TaskSnapshot? {
        let reply = try await commands.send(["HGETALL", keys.task(id)])
        guard let pairs = reply.fieldPairs, !pairs.isEmpty else { return nil }
        return TaskSnapshot(id: id, fields: Dictionary(pairs, uniquingKeysWith: { first, _ in first }))
    }

    public func events(stream: String, after: String, count: Int, block: Duration?) async throws -> [TaskEvent] {
        var command = ["XREAD", "COUNT", String(count)]
        if let block { command += ["BLOCK", String(max(1, block.milliseconds))] }
        command += ["STREAMS", stream, after]
        let reply = try await (block == nil ? commands : blocking).send(RedisCommand(command))
        guard let streams = reply.array else { return [] }
        return streams.flatMap { ($0.array?.last?.array ?? []).map { TaskEvent(entry: Self.entry($0)) } }
    }

    public func lastEventID(stream: String) async throws -> String {
        let reply = try await commands.send(["XREVRANGE", stream, "+", "-", "COUNT", "1"])
        return reply.array?.first.map { Self.entry($0).id } ?? "0-0"
    }

    public func deadLetters(agent: String, count: Int) async throws -> [StreamEntry] {
        let reply = try await commands.send(["XRANGE", keys.deadLetters(agent), "-", "+", "COUNT", String(count)])
        return (reply.array ?? []).map(Self.entry)
    }

    public func replayDeadLetter(agent: String, id: String, stream: String) async throws -> String {
        let dlq = keys.deadLetters(agent)
        let reply = try await commands.send(["XRANGE", dlq, id, id])
        guard let entry = reply.array?.first.map(Self.entry), let fields = entry.fields else {
            throw BrokerError.notFound("no dead letter \(id) in \(dlq)")
        }
        let original = fields.filter { !DeadLetterFields.metadata.contains($0.0) && $0.0 != "task" }
        let previousTask = entry["task"] ?? entry[DeadLetterFields.entry] ?? id
        var command = ["XADD", stream, "*"]
        for (name, value) in original { command += [name, value] }
        command += ["task", "\(previousTask)-replay-\(UUID().uuidString.prefix(8).lowercased())", "replay_of", previousTask]
        let replies = try await commands.pipeline([RedisCommand(command), ["XDEL", dlq, id]])
        return try replies[0].orThrow().string ?? ""
    }

    // MARK: Helpers

    static func entry(_ reply: RedisReply) -> StreamEntry {
        let parts = reply.array ?? []
        let id = parts.first?.string ?? ""
        let fields = parts.count > 1 ? parts[1].fieldPairs : nil
        return StreamEntry(id: id, fields: fields)
    }

    private static func heartbeats(_ reply: RedisReply) -> [Heartbeat] {
        (reply.fieldPairs ?? []).compactMap { try? JSONDecoder().decode(Heartbeat.self, from: Data($0.1.utf8)) }
    }
}

/// The arguments every task script starts with (`TaskScripts`): now, TTL, events MAXLEN, key prefix.
struct ScriptContext: Sendable {
    let keys: KeySpace
    let taskTTL: Duration
    let eventsMaxLength: Int

    func common() -> [String] {
        [ISO8601.now(), String(taskTTL.milliseconds), String(eventsMaxLength), keys.prefix + ":"]
    }
}

/// One task as a script reads it from ARGV (see `TaskScripts`): a count, then name/value pairs; absent values are
/// left out.
struct ScriptItem {
    private var pairs: [(String, String)]

    init(task: String, entry: String?, envelope: Envelope, agent: String, idempotencyKey: String?) {
        pairs = [("task", task), ("type", envelope.type), ("agent", agent)]
        add("entry", entry)
        add("source", envelope.source)
        add("conversation", envelope.conversation)
        add("reply_to", envelope.replyTo)
        add("idem", idempotencyKey)
    }

    /// Adds a named value unless it is absent or empty.
    mutating func add(_ name: String, _ value: String?) {
        if let value, !value.isEmpty { pairs.append((name, value)) }
    }

    func append(to arguments: inout [String]) {
        arguments.append(String(pairs.count))
        for (name, value) in pairs { arguments += [name, value] }
    }
}

/// Loads scripts once (SCRIPT LOAD) and runs them by SHA, loading again after a Redis restart (NOSCRIPT).
final class ScriptCache: Sendable {
    private let connections: [RedisConnection]
    private let next = Atomic<Int>(0)
    private let shas = Mutex<[String: String]>([:])

    /// Calls are spread over the connections in turn.
    init(connections: [RedisConnection]) {
        self.connections = connections
    }

    func run(_ script: String, keys: [String], arguments: [String]) async throws -> RedisReply {
        let connection = connections[next.add(1, ordering: .relaxed).oldValue % connections.count]
        for _ in 0..<2 {
            let sha: String
            if let known = shas.withLock({ $0[script] }) {
                sha = known
            } else {
                guard let loaded = try await connection.send(["SCRIPT", "LOAD", script]).string else { throw RedisError.unexpectedReply("SCRIPT LOAD") }
                shas.withLock { $0[script] = loaded }
                sha = loaded
            }
            let reply = try await connection.pipeline([RedisCommand(["EVALSHA", sha, String(keys.count)] + keys + arguments)])[0]
            if case .error(let message) = reply, message.hasPrefix("NOSCRIPT") {
                shas.withLock { $0[script] = nil }
                continue
            }
            return try reply.orThrow()
        }
        throw RedisError.server("NOSCRIPT after reloading the script")
    }
}

/// Errors of broker operations that are not Redis errors.
public enum BrokerError: Error, Sendable, Hashable, CustomStringConvertible {
    case notFound(String)

    public var description: String {
        switch self {
        case .notFound(let what): return what
        }
    }
}

extension Duration {
    /// Whole milliseconds.
    public var milliseconds: Int {
        let (seconds, attoseconds) = components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}
