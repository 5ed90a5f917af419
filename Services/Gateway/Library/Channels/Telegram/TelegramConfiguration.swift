import AgentBase

/// Telegram settings: `TELEGRAM_BOT_TOKEN`, `TELEGRAM_MODE`, `TELEGRAM_WEBHOOK_SECRET`, `TELEGRAM_ALLOWED_USERS`, `TELEGRAM_API_URL`.
public struct TelegramConfiguration: Sendable {
    /// How updates arrive.
    public enum Mode: String, Sendable {
        case polling
        case webhook
    }

    public var token: String
    public var mode: Mode
    public var webhookSecret: String?
    /// User ids allowed to use the bot; empty refuses everyone (and tells them their id).
    public var allowedUsers: Set<String>
    public var apiURL: String

    public init(token: String, mode: Mode = .polling, webhookSecret: String? = nil, allowedUsers: Set<String> = [], apiURL: String = "https://api.telegram.org") {
        self.token = token
        self.mode = mode
        self.webhookSecret = webhookSecret
        self.allowedUsers = allowedUsers
        self.apiURL = apiURL.hasSuffix("/") ? String(apiURL.dropLast()) : apiURL
    }

    /// Nil when `TELEGRAM_BOT_TOKEN` is not set (Telegram off). Webhook mode without a secret is refused.
    public init?(environment: SwitchboardEnvironment) throws {
        guard let token = try environment.secret("TELEGRAM_BOT_TOKEN") else { return nil }
        let modeText = environment.value("TELEGRAM_MODE") ?? "polling"
        guard let mode = Mode(rawValue: modeText) else {
            throw ConfigurationError(variable: "TELEGRAM_MODE", message: "must be polling or webhook, got '\(modeText)'")
        }
        let secret = try environment.secret("TELEGRAM_WEBHOOK_SECRET")
        if mode == .webhook && secret == nil {
            throw ConfigurationError(variable: "TELEGRAM_WEBHOOK_SECRET", message: "webhook mode needs a secret token (set it in setWebhook's secret_token too)")
        }
        self.init(
            token: token, mode: mode, webhookSecret: secret, allowedUsers: Set(environment.list("TELEGRAM_ALLOWED_USERS")),
            apiURL: environment.value("TELEGRAM_API_URL") ?? "https://api.telegram.org"
        )
    }
}
