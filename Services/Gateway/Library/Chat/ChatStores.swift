import AgentBase
import Foundation

/// Where each task came from (`sb:origin:<task>`: the origin JSON, the status message to edit, the requester's
/// identity, and `ack: pending` while the chat's acknowledgement is still being sent).
public struct OriginStore: Sendable {
    let broker: RedisStreamBroker

    func key(_ task: String) -> String { broker.keys.origin(task) }

    public func record(_ origin: Origin, task: String, statusMessage: String?, requester: String?, awaitingAck: Bool = false) async throws {
        _ = try await broker.commands.pipeline(commands(origin, task: task, statusMessage: statusMessage, requester: requester, awaitingAck: awaitingAck))
    }

    /// The commands of `record`, for a caller that sends them together with others in one round trip.
    func commands(_ origin: Origin, task: String, statusMessage: String?, requester: String?, awaitingAck: Bool) -> [RedisCommand] {
        var command = ["HSET", key(task), "origin", origin.json]
        if let statusMessage { command += ["status_message", statusMessage] }
        if let requester { command += ["requester", requester] }
        if awaitingAck { command += ["ack", "pending"] }
        var commands: [RedisCommand] = [RedisCommand(command), ["PEXPIRE", key(task), String(broker.taskTTL.milliseconds)]]
        if statusMessage != nil { commands.append(["HDEL", key(task), "ack"]) }
        return commands
    }

    /// The acknowledgement will not come (sending it failed): result delivery stops waiting for it.
    public func abandonAck(_ task: String) async {
        _ = try? await broker.send(["HDEL", key(task), "ack"])
    }

    /// Whether `requester` may see or cancel `task`: admins any task, others only their own (the requester recorded
    /// when a chat published it, or the API client in its `source`).
    public func mayTouch(_ task: String, snapshot: TaskSnapshot, _ requester: Requester) async throws -> Bool {
        if requester.role == .admin { return true }
        if let owner = try await broker.send(["HGET", key(task), "requester"]).string { return owner == requester.identity }
        return snapshot.fields["source"] == requester.identity && requester.identity.hasPrefix("api:")
    }

    /// Where to answer for `task`: its origin, the status message to edit, and whether the acknowledgement is still
    /// being sent (events wait for it, so a result never lands above the "working on it" it answers).
    public func lookup(_ task: String) async throws -> (origin: Origin, statusMessage: String?, ackPending: Bool)? {
        let reply = try await broker.send(["HMGET", key(task), "origin", "status_message", "ack"])
        guard let parts = reply.array, parts.count == 3, let json = parts[0].string,
              let origin = try? JSONDecoder().decode(Origin.self, from: Data(json.utf8)) else { return nil }
        return (origin, parts[1].string, parts[2].string == "pending")
    }
}

/// Per-user task limits shared by every gateway replica: a fixed window counter per user in Redis.
public struct RateLimiter: Sendable {
    let broker: RedisStreamBroker
    public let limit: Int
    public let window: Duration
    /// The wall clock windows are cut from (replicas share it through the window number in the key).
    let now: @Sendable () -> Date

    public init(broker: RedisStreamBroker, limit: Int, window: Duration, now: @escaping @Sendable () -> Date = Date.init) {
        self.broker = broker
        self.limit = limit
        self.window = window
        self.now = now
    }

    /// Counts one task for the user; returns nil when allowed, else how long until the window resets.
    public func take(user: String, channel: String) async throws -> Duration? {
        let windowMs = max(1, window.milliseconds)
        let now = Int(now().timeIntervalSince1970 * 1000)
        let slot = now / windowMs
        let key = broker.keys.rate(channel: channel, user: user, window: slot)
        let replies = try await broker.commands.pipeline([["INCR", key], ["PEXPIRE", key, String(windowMs)]])
        guard let count = try replies[0].orThrow().int, count > limit else { return nil }
        return .milliseconds((slot + 1) * windowMs - now)
    }
}

/// The last messages of each conversation (`sb:conv:<conversation>`, newest first, JSON `{role, text, at}`).
public struct ConversationStore: Sendable {
    let broker: RedisStreamBroker
    public var keep = 20

    func key(_ conversation: String) -> String { broker.keys.conversation(conversation) }

    public func append(_ conversation: String, role: String, text: String) async throws {
        _ = try await broker.commands.pipeline(commands(appending: text, role: role, to: conversation))
    }

    /// The commands of `append`, for a caller that sends them together with others in one round trip.
    func commands(appending text: String, role: String, to conversation: String) -> [RedisCommand] {
        let entry = JSONValue.object(["role": .string(role), "text": .string(text), "at": .string(ISO8601.now())]).jsonString
        return [
            ["LPUSH", key(conversation), entry], ["LTRIM", key(conversation), "0", String(keep - 1)],
            ["PEXPIRE", key(conversation), String(broker.taskTTL.milliseconds)],
        ]
    }

    /// Oldest first.
    public func recent(_ conversation: String) async throws -> [JSONValue] {
        let reply = try await broker.send(["LRANGE", key(conversation), "0", String(keep - 1)])
        return (reply.array ?? []).compactMap { $0.string.flatMap { try? JSONValue(parsing: $0) } }.reversed()
    }
}
