import AgentBase

/// GitHub settings: `GITHUB_TOKEN`, `GITHUB_WEBHOOK_SECRET`, `GITHUB_API_URL`, `GITHUB_ALLOWED_REPOS`, `GITHUB_BOT_NAME`,
/// `GITHUB_TRUSTED_ASSOCIATIONS`, `GITHUB_TRIGGER_LABEL`, `GITHUB_MAX_FIX_ROUNDS`.
public struct GitHubConfiguration: Sendable {
    public var token: String?
    /// Without it the webhook refuses every delivery (fail closed).
    public var webhookSecret: String?
    public var apiURL: String
    /// `owner/repo` names served; empty serves every repository that sends signed deliveries.
    public var allowedRepos: Set<String>
    /// The mention that addresses the bot in comments (`@switchboard`).
    public var botName: String
    /// `author_association` values whose comments may make the agents act (operators unless access.yaml says more).
    public var trustedAssociations: Set<String>
    /// The label that turns an issue into a pull request (`switchboard`).
    public var triggerLabel = "switchboard"
    /// Fix rounds per pull request at most (`GITHUB_MAX_FIX_ROUNDS`, default 5).
    public var maxFixRounds = 5

    public static let defaultTrustedAssociations: Set<String> = ["OWNER", "MEMBER", "COLLABORATOR"]

    public init(token: String? = nil, webhookSecret: String? = nil, apiURL: String = "https://api.github.com", allowedRepos: Set<String> = [], botName: String = "switchboard", trustedAssociations: Set<String> = Self.defaultTrustedAssociations) {
        self.token = token
        self.webhookSecret = webhookSecret
        self.apiURL = apiURL.hasSuffix("/") ? String(apiURL.dropLast()) : apiURL
        self.allowedRepos = allowedRepos
        self.botName = botName
        self.trustedAssociations = trustedAssociations
    }

    public init(environment: SwitchboardEnvironment) throws {
        let associations = environment.list("GITHUB_TRUSTED_ASSOCIATIONS").map { $0.uppercased() }
        self.init(
            token: try environment.secret("GITHUB_TOKEN"), webhookSecret: try environment.secret("GITHUB_WEBHOOK_SECRET"),
            apiURL: environment.value("GITHUB_API_URL") ?? "https://api.github.com",
            allowedRepos: Set(environment.list("GITHUB_ALLOWED_REPOS").map { $0.lowercased() }), botName: environment.value("GITHUB_BOT_NAME") ?? "switchboard",
            trustedAssociations: associations.isEmpty ? Self.defaultTrustedAssociations : Set(associations)
        )
        if let label = environment.value("GITHUB_TRIGGER_LABEL") { triggerLabel = label }
        if let text = environment.value("GITHUB_MAX_FIX_ROUNDS") {
            guard let rounds = Int(text), rounds >= 0 else {
                throw ConfigurationError(variable: "GITHUB_MAX_FIX_ROUNDS", message: "must be a whole number (0 turns fix rounds off), got '\(text)'")
            }
            maxFixRounds = rounds
        }
    }

    func allows(_ repo: String) -> Bool {
        allowedRepos.isEmpty || allowedRepos.contains(repo.lowercased())
    }
}
