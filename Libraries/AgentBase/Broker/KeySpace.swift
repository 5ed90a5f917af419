/// The key names of the bus every service shares (DESIGN.md), all under one prefix (default `sb`). Services name
/// their own keys under the same prefix in extensions of their own (the gateway's chat state, the orchestrator's
/// runs, …).
public struct KeySpace: Sendable, Hashable {
    public let prefix: String

    public init(prefix: String = "sb") {
        self.prefix = prefix
    }

    /// `sb:in:<agent>`: requests for an agent.
    public func inbox(_ agent: String) -> String { "\(prefix):in:\(agent)" }
    /// `sb:events`: task lifecycle events.
    public var events: String { "\(prefix):events" }
    /// `sb:dlq:<agent>`: dead letters with the reason.
    public func deadLetters(_ agent: String) -> String { "\(prefix):dlq:\(agent)" }
    /// `sb:reply:`: the only place a message's `reply_to` may name (a client's own stream of its tasks' events).
    public var replyPrefix: String { "\(prefix):reply:" }
    /// `sb:reply:<name>`: a reply stream.
    public func reply(_ name: String) -> String { replyPrefix + name }
    /// `sb:task:<id>`: task state hash.
    public func task(_ id: String) -> String { "\(prefix):task:\(id)" }
    /// `sb:tasks`: every task of the last task TTL (sorted set, score = creation time in Unix ms), for listing.
    public var taskIndex: String { "\(prefix):tasks" }
    /// `sb:live:<agent>`: live instances (hash: instance → heartbeat JSON).
    public func live(_ agent: String) -> String { "\(prefix):live:\(agent)" }
    /// `sb:idem:<agent>:<key>`: which task owns an idempotency key.
    public func idempotency(_ agent: String, _ key: String) -> String { "\(prefix):idem:\(agent):\(key)" }
    /// `sb:usage:conversation:<id>`: model usage summed over a conversation (hash: `tokens_in`, `tokens_out`, `cost_usd`, `calls`).
    public func usage(conversation: String) -> String { "\(prefix):usage:conversation:\(conversation)" }
    /// `sb:usage:user:<id>`: model usage summed over a user (the envelope's `source`, see `UsageScope`).
    public func usage(user: String) -> String { "\(prefix):usage:user:\(user)" }
    /// `sb:usage:agent:<name>`: model usage summed over an agent.
    public func usage(agent: String) -> String { "\(prefix):usage:agent:\(agent)" }
    /// `sb:usage:model:<model>`: model usage summed over a model.
    public func usage(model: String) -> String { "\(prefix):usage:model:\(model)" }
    /// `sb:usage:day:<yyyy-mm-dd>`: model usage summed over a UTC day.
    public func usage(day: String) -> String { "\(prefix):usage:day:\(day)" }
    /// `sb:usage:<kind>:<name>`: a ledger hash by kind (`agent`, `user`, `model`, `day`, `conversation`) and name.
    public func usage(kind: String, name: String) -> String { "\(prefix):usage:\(kind):\(name)" }
    /// `sb:usage:index:<kind>`: the names of the ledger hashes of one kind (`agent`, `user`, `model`, `day`,
    /// `conversation`), ranked by spend (sorted set, score = cost in USD).
    public func usageIndex(kind: String) -> String { "\(prefix):usage:index:\(kind)" }
    /// The kind and name of a ledger hash key (`sb:usage:user:telegram:1` → `user`, `telegram:1`).
    public func usageKindAndName(_ key: String) -> (kind: String, name: String)? {
        let head = "\(prefix):usage:"
        guard key.hasPrefix(head) else { return nil }
        let rest = key.dropFirst(head.count)
        guard let colon = rest.firstIndex(of: ":") else { return nil }
        return (String(rest[..<colon]), String(rest[rest.index(after: colon)...]))
    }
    /// A stream key given relative to the prefix in the registry (`in:scraper` → `sb:in:scraper`).
    public func stream(relative: String) -> String { "\(prefix):\(relative)" }
}
