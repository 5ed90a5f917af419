import AgentBase
import Foundation

/// The approvals in Redis: `sb:approval:<id>` (hash: `record` JSON, `status`, `expires_ms`) and `sb:approvals` (sorted
/// set of pending ids by expiry). A decision is one script that checks the request is still pending and in time,
/// records who decided, and appends the audit event to `sb:events`, all at once, so two admins never both decide.
public struct ApprovalStore: Sendable {
    let redis: RedisConnection
    let keys: KeySpace
    /// Approximate MAXLEN of `sb:events`, where the audit events go.
    let eventsMaxLength: Int
    /// How long a request may wait (`SB_APPROVAL_TTL`, default 1 hour).
    public let ttl: Duration
    /// How long a decided or expired approval stays readable after its deadline.
    static let keepAfter: Duration = .seconds(86_400)

    public init(redis: RedisConnection, keys: KeySpace, eventsMaxLength: Int, ttl: Duration) {
        self.redis = redis
        self.keys = keys
        self.eventsMaxLength = eventsMaxLength
        self.ttl = ttl
    }

    func key(_ id: String) -> String { keys.approval(id) }

    /// Stores a new pending approval and appends `approval.requested` to `sb:events`.
    public func create(type: String, agent: String, payload: JSONValue, command: String, origin: Origin, requester: String) async throws -> Approval {
        let now = Date()
        let approval = Approval(
            id: String(UUID().uuidString.lowercased().filter(\.isHexDigit).prefix(10)), task: UUID().uuidString.lowercased(),
            type: type, agent: agent, payload: payload.jsonString, command: command, origin: origin, requester: requester,
            status: .pending, requestedAt: now, expiresAt: now.addingTimeInterval(Double(ttl.milliseconds) / 1000)
        )
        let expiresMs = String(Int64(approval.expiresAt.timeIntervalSince1970 * 1000))
        _ = try await redis.pipeline([
            ["HSET", key(approval.id), "record", try Self.encode(approval), "status", approval.status.rawValue, "expires_ms", expiresMs],
            ["PEXPIRE", key(approval.id), String((ttl + Self.keepAfter).milliseconds)],
            ["ZADD", keys.approvals, expiresMs, approval.id],
            RedisCommand(["XADD", keys.events, "MAXLEN", "~", String(eventsMaxLength), "*"] + eventFields("approval.requested", approval, by: approval.requester)),
        ]).forEach { _ = try $0.orThrow() }
        return approval
    }

    /// Remembers the chat message that shows the request, so a decision can edit it.
    public func setPromptMessage(_ message: String, for id: String) async throws {
        guard var approval = try await get(id) else { return }
        approval.promptMessage = message
        _ = try await redis.send(["HSET", key(id), "record", try Self.encode(approval)]).orThrow()
    }

    /// The approval, with `status` as Redis has it now (a pending one past its deadline reads as expired).
    public func get(_ id: String) async throws -> Approval? {
        guard !id.isEmpty, id.allSatisfy({ $0.isLetter || $0.isNumber }) else { return nil }
        let reply = try await redis.send(["HMGET", key(id), "record", "status"]).orThrow()
        guard let parts = reply.array, let record = parts.first?.string, var approval = try? Self.decode(record) else { return nil }
        approval.status = parts.count > 1 ? parts[1].string.flatMap(Approval.Status.init) ?? approval.status : approval.status
        if approval.status == .pending, approval.expiresAt <= Date() { approval.status = .expired }
        return approval
    }

    /// Pending approvals that have not expired, oldest first.
    public func pending() async throws -> [Approval] {
        let now = String(Int64(Date().timeIntervalSince1970 * 1000))
        let ids = (try await redis.send(["ZRANGEBYSCORE", keys.approvals, "(\(now)", "+inf"]).orThrow().array ?? []).compactMap(\.string)
        var approvals: [Approval] = []
        for id in ids {
            if let approval = try await get(id), approval.status == .pending { approvals.append(approval) }
        }
        _ = try? await redis.send(["ZREMRANGEBYSCORE", keys.approvals, "-inf", now])
        return approvals.sorted { $0.requestedAt < $1.requestedAt }
    }

    /// Records `approve` or deny by `decider` if the approval is still pending and in time.
    public func decide(_ id: String, approve: Bool, by decider: String) async throws -> ApprovalDecision {
        guard var approval = try await get(id) else { return .unknown }
        let now = Date()
        let expired = approval.expiresAt <= now
        var decided = approval
        decided.status = expired ? .expired : (approve ? .approved : .denied)
        decided.decidedBy = expired ? nil : decider
        decided.decidedAt = expired ? nil : now
        let audit = eventFields("approval.\(decided.status.rawValue)", decided, by: expired ? "" : decider)
        let reply = try await redis.send(RedisCommand(
            ["EVAL", Self.decideScript, "3", key(id), keys.approvals, keys.events,
             decided.status.rawValue, try Self.encode(decided), id, String(eventsMaxLength)] + audit
        )).orThrow()
        switch reply.string {
        case "ok":
            return expired ? .expired(decided) : .decided(decided)
        case let status?:
            approval.status = Approval.Status(rawValue: status) ?? approval.status
            return .alreadyDecided(approval)
        case nil:
            return .unknown
        }
    }

    /// `KEYS`: approval hash, pending set, events stream. `ARGV`: new status, record JSON, id, events max length, then
    /// the event's field/value pairs. Returns `ok`, or the status it already had (nothing changed).
    static let decideScript = """
    local status = redis.call('HGET', KEYS[1], 'status')
    if not status then return false end
    if status ~= 'pending' then return status end
    redis.call('HSET', KEYS[1], 'status', ARGV[1], 'record', ARGV[2])
    redis.call('ZREM', KEYS[2], ARGV[3])
    redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[4], '*', unpack(ARGV, 5))
    return 'ok'
    """

    /// The audit event: `type`, `task`, `agent`, `payload` (the approval and who acted), `source`, `conversation`.
    private func eventFields(_ type: String, _ approval: Approval, by actor: String) -> [String] {
        var payload = approval.json
        if case .object(var fields) = payload {
            fields["by"] = .string(actor)
            fields["at"] = .string(ISO8601.now())
            payload = .object(fields)
        }
        return [
            "type", type, "task", approval.task, "agent", approval.agent, "payload", payload.jsonString, "request_type", approval.type,
            "source", approval.origin.source, "conversation", approval.origin.conversation,
        ]
    }

    private static func encode(_ approval: Approval) throws -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .millisecondsSince1970
        return String(decoding: try encoder.encode(approval), as: UTF8.self)
    }

    private static func decode(_ text: String) throws -> Approval {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        return try decoder.decode(Approval.self, from: Data(text.utf8))
    }
}
