import AgentBase
import Foundation
import Workflows

/// Run state in Redis: `sb:run:<run>` written only by compare-and-set on its `version`, with the step-to-run
/// correlation key, the run list `sb:runs` and the active set `sb:runs:active` kept in the same atomic step.
struct RunStore: Sendable {
    let redis: RedisConnection
    let keys: KeySpace
    let ttl: Duration

    /// The stored state and its version, or nil for an unknown run.
    func load(_ run: String) async throws -> (state: RunState, version: String)? {
        let reply = try await redis.send(["HMGET", keys.run(run), "version", "state"])
        guard let fields = reply.array, fields.count == 2, let version = fields[0].string, let text = fields[1].string else { return nil }
        return (try JSONDecoder().decode(RunState.self, from: Data(text.utf8)), version)
    }

    /// Writes `state` if the stored version is still `expected` (nil: the run must not exist yet); false when another
    /// writer came first.
    func write(_ state: RunState, expected: String?, now: Int64) async throws -> Bool {
        var keyList = [keys.run(state.run), keys.runs, keys.activeRuns]
        if let current = state.current { keyList.append(keys.runStep(current.task)) }
        let command = RedisCommand(["EVAL", Self.compareAndSet, String(keyList.count)] + keyList + [
            expected ?? "", String(decoding: try JSONEncoder().encode(state), as: UTF8.self), state.status.rawValue, state.current?.step ?? "", String(now),
            String(ttl.milliseconds), state.run, state.workflow,
        ])
        return try await redis.send(command).orThrow().int ?? 0 > 0
    }

    /// The run a step's task belongs to.
    func run(ofStep task: String) async throws -> String? {
        try await redis.send(["GET", keys.runStep(task)]).string
    }

    /// The status field alone (cheap to poll).
    func status(_ run: String) async throws -> RunStatus? {
        try await redis.send(["HGET", keys.run(run), "status"]).string.flatMap(RunStatus.init(rawValue:))
    }

    func activeRuns() async throws -> [String] {
        try await redis.send(["SMEMBERS", keys.activeRuns]).array?.compactMap(\.string) ?? []
    }

    func retire(_ run: String) async throws {
        _ = try await redis.send(["SREM", keys.activeRuns, run])
    }

    /// KEYS: run hash, run list, active set, [step key]. ARGV: expected version, state, status, step, now ms, ttl ms,
    /// run id, workflow. Returns the new version, or 0 when the stored version differs.
    static let compareAndSet = """
    local v = redis.call('HGET', KEYS[1], 'version') or ''
    if v ~= ARGV[1] then return 0 end
    local nv = (tonumber(v) or 0) + 1
    redis.call('HSET', KEYS[1], 'version', nv, 'state', ARGV[2], 'status', ARGV[3], 'step', ARGV[4], 'workflow', ARGV[8], 'updated_at', ARGV[5])
    if v == '' then
      redis.call('HSET', KEYS[1], 'created_at', ARGV[5])
      redis.call('ZADD', KEYS[2], ARGV[5], ARGV[7])
      redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. (tonumber(ARGV[5]) - tonumber(ARGV[6])))
      redis.call('SADD', KEYS[3], ARGV[7])
    end
    redis.call('PEXPIRE', KEYS[1], ARGV[6])
    if KEYS[4] then redis.call('SET', KEYS[4], ARGV[7], 'PX', ARGV[6]) end
    return nv
    """
}
