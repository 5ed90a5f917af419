import AgentBase
import Foundation

/// Slack settings: `SLACK_BOT_TOKEN`, `SLACK_SIGNING_SECRET`, `SLACK_APP_TOKEN`, `SLACK_ALLOWED_TEAMS`, `SLACK_API_URL`.
public struct SlackConfiguration: Sendable {
    public var botToken: String?
    /// Without it every Slack request is refused (fail closed).
    public var signingSecret: String?
    public var appToken: String?
    /// Team ids served; empty serves none (fail closed). A Slack Connect user counts by their own team.
    public var allowedTeams: Set<String>
    public var apiURL: String

    public init(botToken: String? = nil, signingSecret: String? = nil, appToken: String? = nil, allowedTeams: Set<String> = [], apiURL: String = "https://slack.com/api") {
        self.botToken = botToken
        self.signingSecret = signingSecret
        self.appToken = appToken
        self.allowedTeams = allowedTeams
        self.apiURL = apiURL.hasSuffix("/") ? String(apiURL.dropLast()) : apiURL
    }

    public init(environment: SwitchboardEnvironment) throws {
        self.init(
            botToken: try environment.secret("SLACK_BOT_TOKEN"), signingSecret: try environment.secret("SLACK_SIGNING_SECRET"),
            appToken: try environment.secret("SLACK_APP_TOKEN"), allowedTeams: Set(environment.list("SLACK_ALLOWED_TEAMS")),
            apiURL: environment.value("SLACK_API_URL") ?? "https://slack.com/api"
        )
    }

    /// The hosts a shared file's `url_private` may be on for the bot token to be sent: Slack's file host and the
    /// API's own host (a local stand-in).
    var fileHosts: Set<String> {
        var hosts: Set<String> = ["files.slack.com"]
        if let host = URL(string: apiURL)?.host { hosts.insert(host.lowercased()) }
        return hosts
    }

    func allows(team: String) -> Bool {
        allowedTeams.contains(team)
    }
}
