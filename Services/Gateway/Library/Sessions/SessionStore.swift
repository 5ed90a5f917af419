import AgentBase
import Foundation

/// The coding sessions of conversations in Redis, owned by the gateway: `sb:session:<conversation>` (hash: the
/// binding and the running turn), `sb:session-queue:<conversation>` (list of turns waiting, oldest first) and
/// `sb:sessions` (sorted set of bound conversations by last activity). The session and its queue expire
/// `SESSION_IDLE_TTL` after the last activity (the index forgets them when it is next listed); every replica shares
/// them, and a turn starts or queues in one script, so turns of a session never overlap.
public struct SessionStore: Sendable {
    let storage: GatewayStorage
    /// How long a session lives without a turn (`SESSION_IDLE_TTL`).
    public let idleTTL: Duration
    let now: @Sendable () -> Date

    public init(storage: GatewayStorage, idleTTL: Duration, now: @escaping @Sendable () -> Date = Date.init) {
        self.storage = storage
        self.idleTTL = idleTTL
        self.now = now
    }

    private var keys: KeySpace { storage.keys }
    private var ttl: String { String(idleTTL.milliseconds) }

    /// The binding of `conversation`, nil when it has none.
    public func binding(_ conversation: String) async throws -> SessionBinding? {
        let replies = try await storage.redis.pipeline([["HGETALL", keys.session(conversation)], ["LLEN", keys.sessionQueue(conversation)]])
        let pairs = try replies[0].orThrow().fieldPairs ?? []
        let fields = Dictionary(pairs, uniquingKeysWith: { _, last in last })
        return SessionBinding(conversation: conversation, fields: fields, queued: try replies[1].orThrow().int ?? 0)
    }

    /// Binds `conversation` unless it is bound already; answers the binding it has.
    public func bind(_ conversation: String, repoURL: String, base: String, by identity: String) async throws -> (binding: SessionBinding, created: Bool) {
        let new = SessionBinding(conversation: conversation, repoURL: repoURL, base: base, boundBy: identity, boundAt: now())
        let reply = try await storage.redis.send(RedisCommand(
            ["EVAL", Self.bindScript, "2", keys.session(conversation), keys.sessions, ttl, SessionBinding.milliseconds(new.boundAt), conversation] + new.fields
        ))
        if try reply.orThrow().int == 1 { return (new, true) }
        guard let existing = try await binding(conversation) else { throw RedisError.unexpectedReply("bind: the session vanished") }
        return (existing, false)
    }

    /// Ends the session of `conversation`; answers what it was and how many queued turns were dropped.
    public func end(_ conversation: String) async throws -> (binding: SessionBinding, dropped: Int)? {
        guard let binding = try await binding(conversation) else { return nil }
        let replies = try await storage.redis.pipeline([
            ["DEL", keys.session(conversation)], ["DEL", keys.sessionQueue(conversation)], ["ZREM", keys.sessions, conversation],
        ])
        for reply in replies { _ = try reply.orThrow() }
        return (binding, binding.queued)
    }

    /// Sets how much of a turn's work the session shows; false when the conversation has no session.
    func setVerbosity(_ level: Int, in conversation: String) async throws -> Bool {
        let reply = try await storage.redis.send(["EVAL", Self.verbosityScript, "1", keys.session(conversation), String(level)])
        return try reply.orThrow().int == 1
    }

    /// Adds a progress line of a turn's task; answers the last `shownSteps` lines, oldest first.
    func appendProgress(_ line: String, task: String) async throws -> [String] {
        let key = keys.sessionProgress(task)
        let replies = try await storage.redis.pipeline([
            ["RPUSH", key, line], ["LTRIM", key, String(-Self.shownSteps), "-1"], ["PEXPIRE", key, String(storage.ttl.milliseconds)], ["LRANGE", key, "0", "-1"],
        ])
        for reply in replies { _ = try reply.orThrow() }
        return (replies[3].array ?? []).compactMap(\.string)
    }

    /// Most progress lines a status message shows at verbosity 2.
    static let shownSteps = 20

    /// What became of a turn offered to a session.
    enum Admission: Sendable, Hashable {
        /// The session is idle: the turn runs now (it is the running turn).
        case runNow
        /// Another turn runs: this one waits with `ahead` turns before it (the running one included).
        case queued(ahead: Int)
        /// The conversation has no session (any more).
        case unbound
    }

    /// Starts `turn` when the session is idle, else queues it behind the others.
    func admit(_ turn: QueuedTurn, in conversation: String) async throws -> Admission {
        let entry = String(decoding: try JSONEncoder().encode(turn), as: UTF8.self)
        let reply = try await storage.redis.send([
            "EVAL", Self.admitScript, "3", keys.session(conversation), keys.sessionQueue(conversation), keys.sessions,
            turn.task, entry, ttl, SessionBinding.milliseconds(now()), conversation,
        ])
        guard let ahead = try reply.orThrow().int else { throw RedisError.unexpectedReply("admit: \(reply)") }
        switch ahead {
        case ..<0: return .unbound
        case 0: return .runNow
        default: return .queued(ahead: ahead)
        }
    }

    /// The running turn `task` ended: the next queued turn becomes the running one and is answered (to be published);
    /// nil when none waits, or `task` was not the running turn.
    func advance(_ conversation: String, ended task: String) async throws -> QueuedTurn? {
        let reply = try await storage.redis.send([
            "EVAL", Self.advanceScript, "3", keys.session(conversation), keys.sessionQueue(conversation), keys.sessions,
            task, ttl, SessionBinding.milliseconds(now()), conversation,
        ])
        guard let entry = try reply.orThrow().string else { return nil }
        return try JSONDecoder().decode(QueuedTurn.self, from: Data(entry.utf8))
    }

    /// Every bound conversation, most recently active first (bindings that expired are dropped from the index).
    public func all() async throws -> [SessionBinding] {
        let conversations = (try await storage.redis.send(["ZREVRANGE", keys.sessions, "0", "-1"]).orThrow().array ?? []).compactMap(\.string)
        var bindings: [SessionBinding] = []
        for conversation in conversations {
            if let binding = try await binding(conversation) {
                bindings.append(binding)
            } else {
                _ = try await storage.redis.send(["ZREM", keys.sessions, conversation])
            }
        }
        return bindings
    }

    /// KEYS: session hash, index. ARGV: TTL ms, now ms, conversation, binding fields…. 1 when bound, 0 when it was already.
    static let bindScript = """
    if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
    redis.call('HSET', KEYS[1], unpack(ARGV, 4))
    redis.call('PEXPIRE', KEYS[1], ARGV[1])
    redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
    return 1
    """

    /// KEYS: session hash. ARGV: verbosity. 1 when set, 0 when there is no session.
    static let verbosityScript = """
    if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
    redis.call('HSET', KEYS[1], 'verbosity', ARGV[1])
    return 1
    """

    /// KEYS: session hash, queue, index. ARGV: task, queued entry, TTL ms, now ms, conversation. -1 when unbound, 0
    /// when the turn runs now, else how many turns are ahead of it.
    static let admitScript = """
    if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
    redis.call('PEXPIRE', KEYS[1], ARGV[3])
    redis.call('ZADD', KEYS[3], ARGV[4], ARGV[5])
    local running = redis.call('HGET', KEYS[1], 'running')
    if not running or running == '' then
      redis.call('HSET', KEYS[1], 'running', ARGV[1], 'last_task', ARGV[1], 'last_turn_at', ARGV[4])
      redis.call('HINCRBY', KEYS[1], 'turns', 1)
      return 0
    end
    local ahead = redis.call('RPUSH', KEYS[2], ARGV[2])
    redis.call('PEXPIRE', KEYS[2], ARGV[3])
    return ahead
    """

    /// KEYS: session hash, queue, index. ARGV: ended task, TTL ms, now ms, conversation. The next queued entry, now
    /// running; false when none or when the task was not the running turn.
    static let advanceScript = """
    if redis.call('HGET', KEYS[1], 'running') ~= ARGV[1] then return false end
    redis.call('PEXPIRE', KEYS[1], ARGV[2])
    redis.call('ZADD', KEYS[3], ARGV[3], ARGV[4])
    local entry = redis.call('LPOP', KEYS[2])
    if not entry then
      redis.call('HDEL', KEYS[1], 'running')
      return false
    end
    local task = cjson.decode(entry)['task']
    redis.call('HSET', KEYS[1], 'running', task, 'last_task', task, 'last_turn_at', ARGV[3])
    redis.call('HINCRBY', KEYS[1], 'turns', 1)
    return entry
    """
}
