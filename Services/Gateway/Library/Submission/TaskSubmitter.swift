import AgentBase

/// The one way the gateway submits work, for the REST API and every chat.
///
/// An idempotency key is claimed first (a key held already answers with its task). A chat's origin and its message
/// in the conversation are written before the task is published (the task's events look the origin up), in one
/// script that first checks the task does not exist. A task id that exists already is reported, never published
/// again, and its origin is left as it was; a key claimed for a submission that published nothing is freed.
public struct TaskSubmitter: Sendable {
    let queue: any TaskQueue
    let storage: GatewayStorage
    let origins: OriginStore
    let conversations: ConversationStore

    /// Where a chat request came from, recorded with its task.
    public struct ChatRecord: Sendable {
        public var origin: Origin
        /// The identity that asked (may see and cancel the task).
        public var requester: String?
        /// The sender's words, added to the conversation.
        public var text: String
        /// Events wait until the chat has recorded its acknowledgement (`ChatService.remember`).
        public var awaitingAck: Bool
    }

    /// What became of a submission.
    public enum Outcome: Sendable, Hashable {
        case queued
        /// The envelope's idempotency key names this task already; nothing was published.
        case duplicate(of: String)
        /// The task id exists already (with this status); nothing was published or recorded.
        case exists(TaskStatus?)
    }

    /// Submits `envelope` under `task` to `agent`'s stream; `chat` is recorded with it.
    public func submit(_ envelope: Envelope, task: String, to agent: AgentEntry, chat: ChatRecord? = nil) async throws -> Outcome {
        let claimed = envelope.idempotencyKey.map { storage.keys.idempotency("gateway", $0) }
        if let claimed, let holder = try await queue.claimIdempotencyKey(claimed, task: task) { return .duplicate(of: holder) }
        let outcome: Outcome
        do {
            if let chat, let existing = try await record(chat, task: task) {
                outcome = existing
            } else if case .exists(let status) = try await queue.submit(envelope, task: task, agent: agent.name, stream: storage.keys.stream(relative: agent.stream)) {
                outcome = .exists(status)
            } else {
                outcome = .queued
            }
        } catch {
            if let claimed { await queue.releaseIdempotencyKey(claimed, task: task) }
            throw error
        }
        if let claimed, outcome != .queued { await queue.releaseIdempotencyKey(claimed, task: task) }
        return outcome
    }

    /// Writes the chat's origin and conversation message unless the task exists; nil when written, else `.exists`.
    private func record(_ chat: ChatRecord, task: String) async throws -> Outcome? {
        let conversation = chat.origin.conversation
        let fields = OriginStore.fields(chat.origin, statusMessage: nil, requester: chat.requester, awaitingAck: chat.awaitingAck)
        let reply = try await storage.redis.send(RedisCommand(
            ["EVAL", Self.recordScript, "3", storage.keys.task(task), origins.key(task), conversations.key(conversation),
             String(storage.ttl.milliseconds), ConversationStore.entry(role: "user", text: chat.text), String(conversations.keep)] + fields
        ))
        guard let parts = reply.array, parts.count == 2 else { throw RedisError.unexpectedReply("record: \(reply)") }
        return parts[0].int == 1 ? nil : .exists(parts[1].string.flatMap(TaskStatus.init(rawValue:)))
    }

    /// KEYS: task hash, origin hash, conversation list. ARGV: TTL ms, conversation entry, messages kept, origin
    /// fields…. Returns {1, ''} when written, {0, status} when the task exists.
    static let recordScript = """
    if redis.call('EXISTS', KEYS[1]) == 1 then return {0, redis.call('HGET', KEYS[1], 'status') or ''} end
    redis.call('HSET', KEYS[2], unpack(ARGV, 4))
    redis.call('PEXPIRE', KEYS[2], ARGV[1])
    redis.call('LPUSH', KEYS[3], ARGV[2])
    redis.call('LTRIM', KEYS[3], 0, tonumber(ARGV[3]) - 1)
    redis.call('PEXPIRE', KEYS[3], ARGV[1])
    return {1, ''}
    """
}
