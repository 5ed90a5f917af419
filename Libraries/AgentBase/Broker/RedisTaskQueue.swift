/// `TaskQueue` on Redis: XADD on the shared command connection, submissions by the `submit` task script.
public struct RedisTaskQueue: TaskQueue {
    let redis: RedisConnection
    let scripts: ScriptCache
    let context: ScriptContext

    public func publish(_ envelope: Envelope, to stream: String) async throws -> String {
        try await publish([envelope], to: stream)[0]
    }

    public func publish(_ envelopes: [Envelope], to stream: String) async throws -> [String] {
        let replies = try await redis.pipeline(envelopes.map { envelope in
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
        let reply = try await scripts.run(TaskScripts.submit, keys: [context.keys.events, stream], arguments: context.common() + arguments)
        guard let parts = reply.array, parts.count == 2, let verdict = parts[0].string else { throw RedisError.unexpectedReply("submit: \(reply)") }
        if verdict == "queued" { return .queued(entryID: parts[1].string ?? "") }
        return .exists(status: parts[1].string.flatMap(TaskStatus.init(rawValue:)))
    }

    public func claimIdempotencyKey(_ key: String, task: String) async throws -> String? {
        let replies = try await redis.pipeline([["SET", key, task, "NX", "PX", String(context.taskTTL.milliseconds)], ["GET", key]])
        if case .status = replies[0] { return nil }
        return try replies[1].orThrow().string
    }

    /// Frees a key claimed for a task that was then not submitted, while the key still names that task (so sending
    /// again is not answered with a task that never existed). Best effort: a failure only leaves the key to expire.
    public func releaseIdempotencyKey(_ key: String, task: String) async {
        _ = try? await redis.send(["EVAL", "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0", "1", key, task])
    }
}
