import AgentBase
import Foundation

/// The gateway's memory of issue runs, the pull requests they opened and their fix rounds
/// (`sb:github:issue:…`, `sb:github:pr:…`, `sb:github:round:<task>`).
struct IssueStore: Sendable {
    let storage: GatewayStorage
    /// How long an issue's or pull request's record is kept after its last change.
    static let keep: Duration = .seconds(90 * 24 * 3600)

    /// An issue's record, empty when it has none.
    func issue(_ repo: String, _ number: Int) async throws -> [String: String] {
        try await hash(storage.keys.githubIssue(repo, number))
    }

    /// A pull request's record, empty when Switchboard did not open it from an issue.
    func pullRequest(_ repo: String, _ number: Int) async throws -> [String: String] {
        try await hash(storage.keys.githubPullRequest(repo, number))
    }

    /// A fix round's record, empty for any other task.
    func round(_ task: String) async throws -> [String: String] {
        try await hash(storage.keys.githubRound(task))
    }

    /// Makes `run` the issue's run if its run is still `expected` (nil: none); false when another trigger won.
    func claimIssue(_ repo: String, _ number: Int, expected: String?, run: String, fields: [String: String]) async throws -> Bool {
        let pairs = fields.sorted { $0.key < $1.key }.flatMap { [$0.key, $0.value] }
        let reply = try await storage.redis.send(RedisCommand(
            ["EVAL", Self.claimScript, "1", storage.keys.githubIssue(repo, number), expected ?? "", run, String(Self.keep.milliseconds)] + pairs
        ))
        return reply.int == 1
    }

    /// Sets fields of an issue's record.
    func updateIssue(_ repo: String, _ number: Int, _ fields: [String: String]) async throws {
        try await set(storage.keys.githubIssue(repo, number), fields, ttl: Self.keep)
    }

    /// Sets fields of a pull request's record.
    func updatePullRequest(_ repo: String, _ number: Int, _ fields: [String: String]) async throws {
        try await set(storage.keys.githubPullRequest(repo, number), fields, ttl: Self.keep)
    }

    /// Makes `task` the pull request's running round if the round count is still `rounds`; false when another won.
    func claimRound(_ repo: String, _ number: Int, rounds: Int, task: String) async throws -> Bool {
        let reply = try await storage.redis.send([
            "EVAL", Self.roundScript, "1", storage.keys.githubPullRequest(repo, number), String(rounds), task, String(Self.keep.milliseconds),
        ])
        return reply.int == 1
    }

    /// Records what a fix round's task addresses, for the replies when it ends.
    func recordRound(_ task: String, _ fields: [String: String]) async throws {
        try await set(storage.keys.githubRound(task), fields, ttl: storage.ttl)
    }

    private func hash(_ key: String) async throws -> [String: String] {
        let items = try await storage.redis.send(["HGETALL", key]).array ?? []
        var fields: [String: String] = [:]
        for index in stride(from: 0, to: items.count - 1, by: 2) {
            if let name = items[index].string { fields[name] = items[index + 1].string }
        }
        return fields
    }

    private func set(_ key: String, _ fields: [String: String], ttl: Duration) async throws {
        guard !fields.isEmpty else { return }
        let pairs = fields.sorted { $0.key < $1.key }.flatMap { [$0.key, $0.value] }
        _ = try await storage.redis.pipeline([RedisCommand(["HSET", key] + pairs), ["PEXPIRE", key, String(ttl.milliseconds)]])
    }

    /// KEYS[1] the issue; ARGV: expected run ('' = none), new run, ttl ms, then field/value pairs. A new run forgets the
    /// last run's pull request.
    static let claimScript = """
    local current = redis.call('HGET', KEYS[1], 'run') or ''
    if current ~= ARGV[1] then return 0 end
    redis.call('HDEL', KEYS[1], 'pr', 'pr_url', 'tracking')
    redis.call('HSET', KEYS[1], 'run', ARGV[2])
    for i = 4, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
    redis.call('PEXPIRE', KEYS[1], ARGV[3])
    return 1
    """

    /// KEYS[1] the pull request; ARGV: expected round count, the round's task, ttl ms.
    static let roundScript = """
    local rounds = tonumber(redis.call('HGET', KEYS[1], 'rounds') or '0')
    if rounds ~= tonumber(ARGV[1]) then return 0 end
    redis.call('HSET', KEYS[1], 'rounds', rounds + 1, 'running', ARGV[2])
    redis.call('PEXPIRE', KEYS[1], ARGV[3])
    return 1
    """
}
