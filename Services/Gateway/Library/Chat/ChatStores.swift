import AgentBase
import Foundation

/// Where each task came from (`sb:origin:<task>`: the origin JSON, the status message to edit, the requester's
/// identity, and `ack: pending` while the chat's acknowledgement is still being sent).
public struct OriginStore: Sendable {
    let storage: GatewayStorage

    public init(storage: GatewayStorage) {
        self.storage = storage
    }

    func key(_ task: String) -> String { storage.keys.origin(task) }

    public func record(_ origin: Origin, task: String, statusMessage: String?, requester: String?, awaitingAck: Bool = false) async throws {
        var commands: [RedisCommand] = [RedisCommand(["HSET", key(task)] + Self.fields(origin, statusMessage: statusMessage, requester: requester, awaitingAck: awaitingAck)), ["PEXPIRE", key(task), String(storage.ttl.milliseconds)]]
        if statusMessage != nil { commands.append(["HDEL", key(task), "ack"]) }
        _ = try await storage.redis.pipeline(commands)
    }

    /// The hash fields `record` writes (`ack: pending` only while the acknowledgement is awaited).
    static func fields(_ origin: Origin, statusMessage: String?, requester: String?, awaitingAck: Bool) -> [String] {
        var fields = ["origin", origin.json]
        if let statusMessage { fields += ["status_message", statusMessage] }
        if let requester { fields += ["requester", requester] }
        if awaitingAck { fields += ["ack", "pending"] }
        return fields
    }

    /// The acknowledgement will not come (sending it failed): result delivery stops waiting for it.
    public func abandonAck(_ task: String) async {
        _ = try? await storage.redis.send(["HDEL", key(task), "ack"])
    }

    /// Whether `requester` may see or cancel `task`: admins any task, others only their own (the requester recorded
    /// when a chat published it, or the API client in its `source`).
    public func mayTouch(_ task: String, snapshot: TaskSnapshot, _ requester: Requester) async throws -> Bool {
        if requester.role == .admin { return true }
        if let owner = try await storage.redis.send(["HGET", key(task), "requester"]).string { return owner == requester.identity }
        return snapshot.fields["source"] == requester.identity && (requester.identity.hasPrefix("api:") || requester.identity.hasPrefix("web:"))
    }

    /// Where to answer for `task`: its origin, the status message to edit, and whether the acknowledgement is still
    /// being sent (events wait for it, so a result never lands above the "working on it" it answers).
    public func lookup(_ task: String) async throws -> (origin: Origin, statusMessage: String?, ackPending: Bool)? {
        let reply = try await storage.redis.send(["HMGET", key(task), "origin", "status_message", "ack"])
        guard let parts = reply.array, parts.count == 3, let json = parts[0].string,
              let origin = try? JSONDecoder().decode(Origin.self, from: Data(json.utf8)) else { return nil }
        return (origin, parts[1].string, parts[2].string == "pending")
    }
}

/// Per-user task limits shared by every gateway replica: a fixed window counter per user in Redis.
public struct RateLimiter: Sendable {
    let redis: RedisConnection
    let keys: KeySpace
    public let limit: Int
    public let window: Duration
    /// The wall clock windows are cut from (replicas share it through the window number in the key).
    let now: @Sendable () -> Date

    public init(redis: RedisConnection, keys: KeySpace, limit: Int, window: Duration, now: @escaping @Sendable () -> Date = Date.init) {
        self.redis = redis
        self.keys = keys
        self.limit = limit
        self.window = window
        self.now = now
    }

    /// Counts one task for the user; returns nil when allowed, else how long until the window resets.
    public func take(user: String, channel: String) async throws -> Duration? {
        let windowMs = max(1, window.milliseconds)
        let now = Int(now().timeIntervalSince1970 * 1000)
        let slot = now / windowMs
        let key = keys.rate(channel: channel, user: user, window: slot)
        let replies = try await redis.pipeline([["INCR", key], ["PEXPIRE", key, String(windowMs)]])
        guard let count = try replies[0].orThrow().int, count > limit else { return nil }
        return .milliseconds((slot + 1) * windowMs - now)
    }
}

/// The last messages of each conversation (`sb:conv:<conversation>`, newest first, JSON `{role, text, at}`).
public struct ConversationStore: Sendable {
    let storage: GatewayStorage
    public var keep = 20

    public init(storage: GatewayStorage) {
        self.storage = storage
    }

    func key(_ conversation: String) -> String { storage.keys.conversation(conversation) }

    public func append(_ conversation: String, role: String, text: String) async throws {
        _ = try await storage.redis.pipeline([
            ["LPUSH", key(conversation), Self.entry(role: role, text: text)], ["LTRIM", key(conversation), "0", String(keep - 1)],
            ["PEXPIRE", key(conversation), String(storage.ttl.milliseconds)],
        ])
    }

    /// One stored message.
    static func entry(role: String, text: String) -> String {
        JSONValue.object(["role": .string(role), "text": .string(text), "at": .string(ISO8601.now())]).jsonString
    }

    /// Oldest first.
    public func recent(_ conversation: String) async throws -> [JSONValue] {
        let reply = try await storage.redis.send(["LRANGE", key(conversation), "0", String(keep - 1)])
        return (reply.array ?? []).compactMap { $0.string.flatMap { try? JSONValue(parsing: $0) } }.reversed()
    }

    /// `payload` with the conversation's recent messages as its `context` (unchanged when there are none).
    func withContext(_ payload: JSONValue, of conversation: String) async throws -> JSONValue {
        let recent = try await recent(conversation)
        guard !recent.isEmpty, case .object(var fields) = payload else { return payload }
        fields["context"] = .array(recent)
        return .object(fields)
    }
}
