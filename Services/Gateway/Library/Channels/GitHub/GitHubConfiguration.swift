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
        let repos = (environment.values["GITHUB_ALLOWED_REPOS"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty }
        self.init(
            token: try environment.secret("GITHUB_TOKEN"), webhookSecret: try environment.secret("GITHUB_WEBHOOK_SECRET"),
            apiURL: environment.values["GITHUB_API_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? "https://api.github.com",
            allowedRepos: Set(repos), botName: environment.values["GITHUB_BOT_NAME"].flatMap { $0.isEmpty ? nil : $0 } ?? "switchboard"
        )
    }

    func allows(_ repo: String) -> Bool {
        allowedRepos.isEmpty || allowedRepos.contains(repo.lowercased())
    }
}
