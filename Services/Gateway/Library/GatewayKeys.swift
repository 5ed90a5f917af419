import AgentBase

/// The gateway's own keys, under the bus's prefix: where chat tasks came from, conversations, rate limits,
/// once-only markers of the chat fronts, approvals, coding sessions, the Telegram offset, the first-run admin token
/// and browser sessions.
extension KeySpace {
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
    /// `sb:session:<conversation>`: a conversation's coding session (hash: `repo_url`, `base`, `branch`, `bound_by`,
    /// `bound_at`, `running`, `last_task`, `last_turn_at`, `turns`, `verbosity`).
    public func session(_ conversation: String) -> String { "\(prefix):session:\(conversation)" }
    /// `sb:session-queue:<conversation>`: turns of a session waiting for the running one (list of JSON `{task, text, requester, source}`).
    public func sessionQueue(_ conversation: String) -> String { "\(prefix):session-queue:\(conversation)" }
    /// `sb:session-progress:<task>`: the last progress lines of a session turn shown at verbosity 2 (list).
    public func sessionProgress(_ task: String) -> String { "\(prefix):session-progress:\(task)" }
    /// `sb:sessions`: bound conversations (sorted set, score = last activity in Unix ms).
    public var sessions: String { "\(prefix):sessions" }
    /// `sb:telegram:offset`: the Telegram polling offset.
    public var telegramOffset: String { "\(prefix):telegram:offset" }
    /// `sb:web:session:<sha256 of the session id, hex>`: the client a browser session of `/login` belongs to.
    public func webSession(_ digest: String) -> String { "\(prefix):web:session:\(digest)" }
    /// `sb:gateway:first-run-token`: the admin API token a gateway without `GATEWAY_API_TOKENS` creates on its first start.
    public var firstRunToken: String { "\(prefix):gateway:first-run-token" }
    /// `sb:github:issue:<owner/repo>#<n>`: an issue's Switchboard run (hash: `run`, `tracking`, `pr`, `pr_url`,
    /// `repo_url`, `base`, `branch`, `requester`); kept 90 days after the last change.
    public func githubIssue(_ repo: String, _ number: Int) -> String { "\(prefix):github:issue:\(repo.lowercased())#\(number)" }
    /// `sb:github:pr:<owner/repo>#<n>`: a pull request Switchboard opened from an issue (hash: `issue`, `repo_url`,
    /// `base`, `branch`, `rounds`, `running`); kept 90 days after the last change.
    public func githubPullRequest(_ repo: String, _ number: Int) -> String { "\(prefix):github:pr:\(repo.lowercased())#\(number)" }
    /// `sb:github:round:<task>`: a fix round's task (hash: `repo`, `pr`, `round`, `feedback` JSON); expires with the task.
    public func githubRound(_ task: String) -> String { "\(prefix):github:round:\(task)" }
}
