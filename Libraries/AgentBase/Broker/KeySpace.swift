/// The Redis key names of DESIGN.md, all under one prefix (default `sb`).
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
    /// `sb:live:<agent>`: live instances (hash: instance → heartbeat JSON).
    public func live(_ agent: String) -> String { "\(prefix):live:\(agent)" }
    /// `sb:idem:<agent>:<key>`: which task owns an idempotency key.
    public func idempotency(_ agent: String, _ key: String) -> String { "\(prefix):idem:\(agent):\(key)" }
    /// `sb:origin:<task>`: where a chat task came from (the gateway answers there).
    public func origin(_ task: String) -> String { "\(prefix):origin:\(task)" }
    /// `sb:conv:<conversation>`: the last messages of a conversation.
    public func conversation(_ key: String) -> String { "\(prefix):conv:\(key)" }
    /// `sb:rate:<channel>:<user>:<window>`: a user's task counter in one rate-limit window.
    public func rate(channel: String, user: String, window: Int) -> String { "\(prefix):rate:\(channel):\(user):\(window)" }
    /// `sb:<channel>:<kind>:<id>`: a once-only marker of a chat front (`telegram:update`, `slack:event`, `github:delivery`).
    public func seen(_ channel: String, _ kind: String, _ id: String) -> String { "\(prefix):\(channel):\(kind):\(id)" }
    /// `sb:approval:<id>`: an admin request from chat waiting for an admin's decision (hash: `record` JSON, `status`, `expires_ms`).
    public func approval(_ id: String) -> String { "\(prefix):approval:\(id)" }
    /// `sb:approvals`: pending approvals (sorted set, score = expiry in Unix ms).
    public var approvals: String { "\(prefix):approvals" }
    /// `sb:telegram:offset`: the Telegram polling offset.
    public var telegramOffset: String { "\(prefix):telegram:offset" }
    /// `sb:lock:repo:<hash>`: the lock of one repository (`hash` of its clone URL, as GitKit names it), held by one task at a time.
    public func repositoryLock(_ hash: String) -> String { "\(prefix):lock:repo:\(hash)" }
    /// `sb:scrape:<conversation>:<url digest>`: the scraper's last scrape of a URL in a conversation (for change reports).
    public func scrape(conversation: String, digest: String) -> String { "\(prefix):scrape:\(conversation):\(digest)" }
    /// `sb:run:<run>`: a workflow run's state (hash: `version`, `state` JSON, `status`, `step`, `workflow`, times); `<run>` is the `workflow.run` task id.
    public func run(_ id: String) -> String { "\(prefix):run:\(id)" }
    /// `sb:run:step:<task>`: the run a step's task belongs to (correlates its events with the run).
    public func runStep(_ task: String) -> String { "\(prefix):run:step:\(task)" }
    /// `sb:runs`: every recent run (sorted set, score = start time in ms).
    public var runs: String { "\(prefix):runs" }
    /// `sb:runs:active`: runs not yet finished (set), swept by the orchestrators.
    public var activeRuns: String { "\(prefix):runs:active" }
    /// `sb:schedule:<name>:<slot>`: the once-per-slot marker of a schedule (`slot`: the slot's Unix time in seconds).
    public func scheduleSlot(_ name: String, slot: Int64) -> String { "\(prefix):schedule:\(name):\(slot)" }
    /// `sb:schedule:<name>:last`: the latest slot of a schedule that was fired or deliberately skipped.
    public func scheduleLast(_ name: String) -> String { "\(prefix):schedule:\(name):last" }
    /// `sb:usage:conversation:<id>`: model usage summed over a conversation (hash: `tokens_in`, `tokens_out`, `cost_usd`, `calls`).
    public func usage(conversation: String) -> String { "\(prefix):usage:conversation:\(conversation)" }
    /// `sb:usage:user:<id>`: model usage summed over a user (the envelope's `source`, see `UsageScope`).
    public func usage(user: String) -> String { "\(prefix):usage:user:\(user)" }
    /// `sb:usage:agent:<name>`: model usage summed over an agent.
    public func usage(agent: String) -> String { "\(prefix):usage:agent:\(agent)" }
    /// A stream key given relative to the prefix in the registry (`in:scraper` → `sb:in:scraper`).
    public func stream(relative: String) -> String { "\(prefix):\(relative)" }
}
