import AgentBase
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOFoundationEssentialsCompat

/// Slack's Events API (`/webhooks/slack/events`) and slash commands (`/webhooks/slack/commands`): requests are
/// verified with the v0 signing secret, each event handled once, answered within Slack's 3 seconds, and the
/// work done asynchronously; a thread is a conversation and replies go into it.
public struct SlackFront: Sendable {
    let configuration: SlackConfiguration
    let chat: ChatService
    let channel: SlackChannel
    let seen: SeenMarkers
    let logger: Logger

    static let signatureHeader = HTTPField.Name("X-Slack-Signature")!
    static let timestampHeader = HTTPField.Name("X-Slack-Request-Timestamp")!

    /// `v0=hex(HMAC-SHA256(secret, "v0:<timestamp>:<body>"))`, compared in constant time; timestamps older
    /// (or newer) than five minutes are refused so a captured request cannot be replayed.
    static func verify(signature: String, timestamp: String, body: Data, secret: String, now: Date = Date()) -> Bool {
        guard signature.hasPrefix("v0="), let seconds = TimeInterval(timestamp), abs(now.timeIntervalSince1970 - seconds) <= 300,
              let expected = GitHubWebhook.bytes(hex: String(signature.dropFirst(3))) else { return false }
        let signed = Data("v0:\(timestamp):".utf8) + body
        return HMAC<SHA256>.isValidAuthenticationCode(expected, authenticating: signed, using: SymmetricKey(data: Data(secret.utf8)))
    }

    private func verifiedBody(_ request: Request) async throws -> Data {
        guard let secret = configuration.signingSecret else {
            throw APIError(.unauthorized, "unauthorized", "SLACK_SIGNING_SECRET is not set: Slack requests are refused")
        }
        let body = Data(buffer: try await request.body.collect(upTo: 1 << 20))
        guard let signature = request.headers[Self.signatureHeader], let timestamp = request.headers[Self.timestampHeader],
              Self.verify(signature: signature, timestamp: timestamp, body: body, secret: secret) else {
            throw APIError(.unauthorized, "unauthorized", "missing or wrong X-Slack-Signature, or a timestamp older than 5 minutes")
        }
        return body
    }

    /// `POST /webhooks/slack/events`.
    func events(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let body = try await verifiedBody(request)
        guard let payload = try? JSONValue(parsing: body), payload["type"]?.stringValue != nil else {
            throw APIError.badRequest("not a Slack event: expected a JSON object with a 'type'")
        }
        if payload["type"]?.stringValue == "url_verification" {
            return try JSONResponse.make(.ok, ["challenge": payload["challenge"]?.stringValue ?? ""])
        }
        return try JSONResponse.make(.ok, ["outcome": try await accept(eventCallback: payload)])
    }

    /// Takes an `event_callback` (from HTTP or Socket Mode): team allow-list, once per `event_id`,
    /// then the answer goes on in the background. Returns what happened, for the response; an `event_callback`
    /// without its `event_id`, `team_id` or `event` is a bad request.
    func accept(eventCallback payload: JSONValue) async throws -> String {
        guard payload["type"]?.stringValue == "event_callback" else { return "ignored" }
        guard let eventID = payload["event_id"]?.stringValue, let team = payload["team_id"]?.stringValue, let event = payload["event"]?.objectValue else {
            throw APIError.badRequest("not a Slack event_callback: it needs event_id, team_id and an event object")
        }
        guard configuration.allows(team: team) else {
            logger.notice("ignored a Slack event from a team outside SLACK_ALLOWED_TEAMS (set it to the team ids to serve)", metadata: ["team": "\(team)"])
            return "ignored: team not allowed"
        }
        // Slack's retries (X-Slack-Retry-Num, or a redelivered envelope) carry the same event_id: handled once.
        guard try await seen.claim("slack", "event", eventID) else {
            return "duplicate event, ignored"
        }
        guard let message = inbound(.object(event), team: team) else { return "ignored" }
        Task { await answer(message) }
        return "accepted"
    }

    /// The message an event carries: a mention of the bot, or a direct message; never the bot's own messages. Its text
    /// is what the person typed (Slack's `<…>` link and mention markup unwrapped, the leading mention of the bot
    /// dropped). The sender is known by their own team (`user_team`: a Slack Connect user of another workspace is not a member).
    func inbound(_ event: JSONValue, team: String) -> InboundMessage? {
        let type = event["type"]?.stringValue
        guard event["bot_id"] == nil, event["subtype"] == nil || event["subtype"]?.stringValue == "file_share", let user = event["user"]?.stringValue,
              let channelID = event["channel"]?.stringValue, let ts = event["ts"]?.stringValue, let text = event["text"]?.stringValue,
              type == "app_mention" || (type == "message" && event["channel_type"]?.stringValue == "im") else { return nil }
        let origin = Origin(channel: "slack", chat: "\(team)/\(channelID)", thread: event["thread_ts"]?.stringValue ?? ts, message: ts)
        let userTeam = event["user_team"]?.stringValue ?? team
        let files = (event["files"]?.arrayValue ?? []).compactMap { file -> IncomingFile? in
            guard let url = file["url_private_download"]?.stringValue ?? file["url_private"]?.stringValue else { return nil }
            return IncomingFile(name: file["name"]?.stringValue ?? "file", mediaType: file["mimetype"]?.stringValue, size: file["size"]?.intValue, reference: url)
        }
        return InboundMessage(origin: origin, user: "\(userTeam)/\(user)", text: SlackText.addressedToBot(text), trusted: configuration.allows(team: userTeam), files: files)
    }

    private func answer(_ message: InboundMessage) async {
        do {
            try await chat.answer(message, via: channel)
        } catch {
            logger.error("could not answer a Slack message", metadata: ["error": "\(error)"])
        }
    }

    /// `POST /webhooks/slack/commands` (form-encoded): answered at once, ephemerally; results go to the channel.
    func commands(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let body = try await verifiedBody(request)
        let answer = try await command(Self.form(String(decoding: body, as: UTF8.self)))
        return try JSONResponse.make(.ok, JSONValue.object(answer.merging(["response_type": "ephemeral"]) { $1 }))
    }

    /// Runs a slash command (`team_id`, `channel_id`, `user_id`, `command`, `text`; `user_team` for a Slack Connect
    /// user) and returns the immediate answer: `text`, and approve / deny `blocks` when it waits for an admin.
    func command(_ form: [String: String]) async throws -> [String: JSONValue] {
        guard let team = form["team_id"], let channelID = form["channel_id"], let user = form["user_id"], let command = form["command"] else {
            throw APIError.badRequest("not a Slack slash command")
        }
        guard configuration.allows(team: team) else { return ["text": "This workspace is not allowed to use Switchboard."] }
        let userTeam = form["user_team"] ?? team
        let origin = Origin(channel: "slack", chat: "\(team)/\(channelID)")
        let message = InboundMessage(origin: origin, user: "\(userTeam)/\(user)", text: "\(command) \(SlackText.plain(form["text"] ?? ""))", trusted: configuration.allows(team: userTeam))
        let reply = try await chat.handle(message)
        guard let approval = reply.approval else { return ["text": .string(SlackText.escaped(reply.text))] }
        return ["text": .string(SlackText.escaped(reply.text)), "blocks": SlackChannel.approvalBlocks(reply.text, approval: approval.id)]
    }

    /// `POST /webhooks/slack/interactions` (form field `payload`, signed like events): a press on an approval's button.
    func interactions(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let body = try await verifiedBody(request)
        guard let text = Self.form(String(decoding: body, as: UTF8.self))["payload"], let payload = try? JSONValue(parsing: text) else {
            throw APIError.badRequest("not a Slack interaction: expected a form field 'payload' holding JSON")
        }
        return try JSONResponse.make(.ok, JSONValue.object(["text": .string(try await interaction(payload))]))
    }

    /// Decides an approval from a `block_actions` payload (HTTP or Socket Mode `interactive`) for the presser's own
    /// identity (`slack:<their team>/<user>`) and role; returns a line for them.
    func interaction(_ payload: JSONValue) async throws -> String {
        guard payload["type"]?.stringValue == "block_actions", let action = payload["actions"]?[0],
              let kind = action["action_id"]?.stringValue, ["approve", "deny"].contains(kind), let id = action["value"]?.stringValue,
              let user = payload["user"]?["id"]?.stringValue, let team = payload["team"]?["id"]?.stringValue else { return "ignored" }
        guard configuration.allows(team: team) else { return "This workspace is not allowed to use Switchboard." }
        let userTeam = payload["user"]?["team_id"]?.stringValue ?? team
        let identity = "slack:\(userTeam)/\(user)"
        guard let role = chat.access.role(of: identity, passedGate: configuration.allows(team: userTeam)) else {
            return "Switchboard does not act for \(identity)."
        }
        return try await chat.decide(id, approve: kind == "approve", by: Requester(identity: identity, role: role)).1
    }

    static func form(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0) }
            if parts.count == 2 { fields[parts[0]] = parts[1] }
        }
        return fields
    }
}
