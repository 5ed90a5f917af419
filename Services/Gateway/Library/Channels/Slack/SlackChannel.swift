import AgentBase
import AsyncHTTPClient
import NIOHTTP1

/// Answers in Slack: `chat.postMessage` into the thread the request came from, `chat.update` for progress; every text
/// escaped (`&`, `<`, `>`) so that Slack shows it as written.
public struct SlackChannel: ChatChannel {
    public let name = "slack"
    let configuration: SlackConfiguration
    let http: HTTPClient

    public init(configuration: SlackConfiguration, http: HTTPClient = .shared) {
        self.configuration = configuration
        self.http = http
    }

    @discardableResult
    public func send(_ text: String, to origin: Origin) async throws(ChannelError) -> String? {
        var body: [String: JSONValue] = ["channel": .string(Self.channel(origin.chat)), "text": .string(SlackText.escaped(text))]
        if let thread = origin.thread { body["thread_ts"] = .string(thread) }
        return try await call("chat.postMessage", body)["ts"]?.stringValue
    }

    public func update(_ message: String, with text: String, at origin: Origin) async throws(ChannelError) {
        _ = try await call("chat.update", ["channel": .string(Self.channel(origin.chat)), "ts": .string(message), "text": .string(SlackText.escaped(text)), "blocks": []])
    }

    /// The prompt with Block Kit buttons; presses come to `POST /webhooks/slack/interactions`.
    public func requestApproval(_ text: String, approval: String, to origin: Origin) async throws(ChannelError) -> String? {
        var body: [String: JSONValue] = ["channel": .string(Self.channel(origin.chat)), "text": .string(SlackText.escaped(text)), "blocks": Self.approvalBlocks(text, approval: approval)]
        if let thread = origin.thread { body["thread_ts"] = .string(thread) }
        return try await call("chat.postMessage", body)["ts"]?.stringValue
    }

    /// A section with the prompt (escaped mrkdwn) and an actions block with Approve (`action_id` approve) and Deny (deny), valued by the id.
    static func approvalBlocks(_ text: String, approval: String) -> JSONValue {
        [
            ["type": "section", "text": ["type": "mrkdwn", "text": .string(SlackText.escaped(text))]],
            ["type": "actions", "block_id": .string("approval-\(approval)"), "elements": [
                ["type": "button", "action_id": "approve", "style": "primary", "value": .string(approval), "text": ["type": "plain_text", "text": "Approve"]],
                ["type": "button", "action_id": "deny", "style": "danger", "value": .string(approval), "text": ["type": "plain_text", "text": "Deny"]],
            ]],
        ]
    }

    /// `T123/C456` → `C456`.
    static func channel(_ chat: String) -> String {
        String(chat.split(separator: "/").last ?? Substring(chat))
    }

    private func call(_ method: String, _ body: [String: JSONValue]) async throws(ChannelError) -> JSONValue {
        guard let token = configuration.botToken else { throw .permanent("SLACK_BOT_TOKEN is not set; cannot answer in Slack") }
        let reply = try await JSONHTTPClient(http: http).send(
            .POST, "\(configuration.apiURL)/\(method)", headers: [("Authorization", "Bearer \(token)")], body: .object(body),
            redacting: token, label: "Slack \(method)"
        )
        if reply.status == 429 || reply.json["error"]?.stringValue == "ratelimited" { throw .rateLimited(retryAfter: reply.retryAfter ?? .seconds(1)) }
        if reply.json["ok"]?.boolValue == true { return reply.json }
        if reply.status >= 500 { throw .transient("Slack \(method): HTTP \(reply.status)") }
        throw .permanent("Slack \(method): \(reply.json["error"]?.stringValue ?? "HTTP \(reply.status)")")
    }
}
