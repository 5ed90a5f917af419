import AgentBase
import AsyncHTTPClient
import Foundation
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

    /// A file shared in Slack: its `url_private` fetched with the bot token — only from Slack's file host
    /// (`files.slack.com`) or the host of `SLACK_API_URL`, so the token never goes anywhere else.
    public func fetch(_ file: IncomingFile, maxBytes: Int) async throws(ChannelError) -> [UInt8] {
        if let bytes = file.bytes { return bytes }
        guard let token = configuration.botToken else { throw .permanent("SLACK_BOT_TOKEN is not set; cannot fetch Slack files") }
        guard let host = URL(string: file.reference)?.host, configuration.fileHosts.contains(host.lowercased()) else {
            throw .permanent("the file's URL is not on Slack's file host, so the bot token is not sent there")
        }
        return try await JSONHTTPClient(http: http).download(file.reference, headers: [("Authorization", "Bearer \(token)")], maxBytes: maxBytes, redacting: token, label: "Slack file download")
    }

    /// Slack's file upload: `files.getUploadURLExternal`, the bytes to the URL it gives (no token: the URL carries
    /// its own grant), then `files.completeUploadExternal` into the thread with the caption as its comment.
    public func sendFile(_ file: StoredFile, bytes: [UInt8], caption: String?, to origin: Origin) async throws(ChannelError) {
        let grant = try await callForm("files.getUploadURLExternal", ["filename": file.name, "length": String(bytes.count)])
        guard let uploadURL = grant["upload_url"]?.stringValue, let id = grant["file_id"]?.stringValue else {
            throw .permanent("Slack files.getUploadURLExternal gave no upload_url or file_id")
        }
        let sent = try await JSONHTTPClient(http: http).upload(.POST, uploadURL, headers: [], body: bytes, contentType: "application/octet-stream", label: "Slack file upload")
        guard sent.status == 200 else { throw sent.status >= 500 ? .transient("Slack file upload: HTTP \(sent.status)") : .permanent("Slack file upload: HTTP \(sent.status)") }
        var body: [String: JSONValue] = ["files": [["id": .string(id), "title": .string(file.name)]], "channel_id": .string(Self.channel(origin.chat))]
        if let thread = origin.thread { body["thread_ts"] = .string(thread) }
        if let caption { body["initial_comment"] = .string(SlackText.escaped(caption)) }
        _ = try await call("files.completeUploadExternal", body)
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
        return try Self.result(of: reply, method)
    }

    /// A method that takes form-encoded arguments only (`files.getUploadURLExternal`).
    private func callForm(_ method: String, _ fields: [String: String]) async throws(ChannelError) -> JSONValue {
        guard let token = configuration.botToken else { throw .permanent("SLACK_BOT_TOKEN is not set; cannot answer in Slack") }
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let form = fields.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }.joined(separator: "&")
        let reply = try await JSONHTTPClient(http: http).upload(
            .POST, "\(configuration.apiURL)/\(method)", headers: [("Authorization", "Bearer \(token)")], body: Array(form.utf8),
            contentType: "application/x-www-form-urlencoded", redacting: token, label: "Slack \(method)"
        )
        return try Self.result(of: reply, method)
    }

    private static func result(of reply: JSONHTTPClient.Reply, _ method: String) throws(ChannelError) -> JSONValue {
        if reply.status == 429 || reply.json["error"]?.stringValue == "ratelimited" { throw .rateLimited(retryAfter: reply.retryAfter ?? .seconds(1)) }
        if reply.json["ok"]?.boolValue == true { return reply.json }
        if reply.status >= 500 { throw .transient("Slack \(method): HTTP \(reply.status)") }
        throw .permanent("Slack \(method): \(reply.json["error"]?.stringValue ?? "HTTP \(reply.status)")")
    }
}
