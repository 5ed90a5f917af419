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
