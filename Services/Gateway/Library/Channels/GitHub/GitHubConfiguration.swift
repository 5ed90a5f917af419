import AgentBase

/// GitHub settings: `GITHUB_TOKEN`, `GITHUB_WEBHOOK_SECRET`, `GITHUB_API_URL`, `GITHUB_ALLOWED_REPOS`, `GITHUB_BOT_NAME`.
public struct GitHubConfiguration: Sendable {
    public var token: String?
    /// Without it the webhook refuses every delivery (fail closed).
    public var webhookSecret: String?
    public var apiURL: String
    /// `owner/repo` names served; empty serves every repository that sends signed deliveries.
    public var allowedRepos: Set<String>
    /// The mention that addresses the bot in comments (`@switchboard`).
    public var botName: String

    public init(token: String? = nil, webhookSecret: String? = nil, apiURL: String = "https://api.github.com", allowedRepos: Set<String> = [], botName: String = "switchboard") {
        self.token = token
        self.webhookSecret = webhookSecret
        self.apiURL = apiURL.hasSuffix("/") ? String(apiURL.dropLast()) : apiURL
        self.allowedRepos = allowedRepos
        self.botName = botName
    }

    public init(environment: SwitchboardEnvironment) throws {
        self.init(
            token: try environment.secret("GITHUB_TOKEN"), webhookSecret: try environment.secret("GITHUB_WEBHOOK_SECRET"),
            apiURL: environment.value("GITHUB_API_URL") ?? "https://api.github.com",
            allowedRepos: Set(environment.list("GITHUB_ALLOWED_REPOS").map { $0.lowercased() }), botName: environment.value("GITHUB_BOT_NAME") ?? "switchboard"
        )
    }

    func allows(_ repo: String) -> Bool {
        allowedRepos.isEmpty || allowedRepos.contains(repo.lowercased())
    }
}
