/// The arguments every task script starts with (`TaskScripts`): now, TTL, events MAXLEN, key prefix.
struct ScriptContext: Sendable {
    let keys: KeySpace
    let taskTTL: Duration
    let eventsMaxLength: Int

    func common() -> [String] {
        [ISO8601.now(), String(taskTTL.milliseconds), String(eventsMaxLength), keys.prefix + ":"]
    }
}

/// One task's fields as a script reads them from ARGV (see `TaskScripts`); absent values are empty strings.
struct ScriptItem {
    var t: String
    var e: String?
    var ty: String
    var a: String
    var s: String?
    var c: String?
    var r: String?
    var i: String?

    init(task: String, entry: String?, envelope: Envelope, agent: String, idempotencyKey: String?) {
        (t, e, ty, a, s, c, r, i) = (task, entry, envelope.type, agent, envelope.source, envelope.conversation, envelope.replyTo, idempotencyKey)
    }

    /// The 8 fields every item starts with.
    func append(to arguments: inout [String]) {
        arguments += [t, e ?? "", ty, a, s ?? "", c ?? "", r ?? "", i ?? ""]
    }
}
