import AgentBase
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOFoundationEssentialsCompat

/// Takes Telegram updates (from polling or the webhook) to the chat service and answers in the chat.
public struct TelegramFront: Sendable {
    let configuration: TelegramConfiguration
    let channel: TelegramChannel
    let chat: ChatService
    let seen: SeenMarkers
    let logger: Logger

    public init(configuration: TelegramConfiguration, channel: TelegramChannel, chat: ChatService, seen: SeenMarkers, logger: Logger) {
        self.configuration = configuration
        self.channel = channel
        self.chat = chat
        self.seen = seen
        self.logger = logger
    }

    /// Handles one update once: a repeated `update_id` (a redelivered webhook, a poll after a crash) is skipped. The
    /// once-marker is released only when the update failed before anything was published, so the next poll retries it.
    public func handle(update: JSONValue) async throws {
        guard let updateID = update["update_id"]?.intValue else { return }
        guard try await seen.claim("telegram", "update", String(updateID)) else { return }
        do {
            if let query = update["callback_query"] {
                try await decide(query)
            } else if let message = update["message"] {
                // `edited_message` is never handled: editing an old command must not run it again.
                try await handleMessage(message)
            }
        } catch let error as ChannelError {
            if case .permanent = error { throw error }
            await seen.release("telegram", "update", String(updateID))  // let the next poll or webhook retry have it
            throw error
        } catch {
            await seen.release("telegram", "update", String(updateID))
            throw error
        }
    }

    private func handleMessage(_ message: JSONValue) async throws {
        let files = Self.files(in: message)
        guard let text = message["text"]?.stringValue ?? message["caption"]?.stringValue ?? (files.isEmpty ? nil : ""),
              let chatID = message["chat"]?["id"]?.intValue, let userID = message["from"]?["id"]?.intValue else { return }
        let origin = Origin(
            channel: "telegram", chat: String(chatID), thread: message["message_thread_id"]?.intValue.map(String.init),
            message: message["message_id"]?.intValue.map(String.init)
        )
        let inbound = InboundMessage(origin: origin, user: String(userID), text: text, trusted: configuration.allowedUsers.contains(String(userID)), files: files)
        try await chat.answer(inbound, via: channel)
    }

    /// The file a message carries: a `document`, or the largest size of a `photo` (Telegram sends photos as JPEG).
    static func files(in message: JSONValue) -> [IncomingFile] {
        if let document = message["document"], let id = document["file_id"]?.stringValue {
            return [IncomingFile(name: document["file_name"]?.stringValue ?? "document", mediaType: document["mime_type"]?.stringValue, size: document["file_size"]?.intValue, reference: id)]
        }
        if let sizes = message["photo"]?.arrayValue, let largest = sizes.last, let id = largest["file_id"]?.stringValue {
            return [IncomingFile(name: "photo-\(largest["file_unique_id"]?.stringValue ?? "1").jpg", mediaType: "image/jpeg", size: largest["file_size"]?.intValue, reference: id)]
        }
        return []
    }

    /// A press on an approval's button (`callback_query` with `approve:<id>` or `deny:<id>`): decided for the presser's
    /// own identity and role, answered with a short notice on their screen.
    private func decide(_ query: JSONValue) async throws {
        guard let queryID = query["id"]?.stringValue, let userID = query["from"]?["id"]?.intValue, let data = query["data"]?.stringValue else { return }
        let parts = data.split(separator: ":", maxSplits: 1).map(String.init)
        var notice = "Unknown button."
        if parts.count == 2, ["approve", "deny"].contains(parts[0]) {
            let identity = "telegram:\(userID)"
            if let role = chat.access.role(of: identity, passedGate: configuration.allowedUsers.contains(String(userID))) {
                notice = try await chat.decide(parts[1], approve: parts[0] == "approve", by: Requester(identity: identity, role: role)).1
            } else {
                notice = "Switchboard does not act for \(identity)."
            }
        }
        _ = try await channel.client.call("answerCallbackQuery", ["callback_query_id": .string(queryID), "text": .string(String(notice.prefix(200)))])
    }
}

extension TelegramFront {
    /// `POST /webhooks/telegram`: the secret header is checked in constant time, then the update is handled.
    func webhook(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let presented = Array((request.headers[HTTPField.Name("X-Telegram-Bot-Api-Secret-Token")!] ?? "").utf8)
        guard let secret = configuration.webhookSecret, ConstantTime.equal(presented, Array(secret.utf8)) else {
            throw APIError(.unauthorized, "unauthorized", "missing or wrong X-Telegram-Bot-Api-Secret-Token")
        }
        let body = try await request.body.collect(upTo: 1 << 20)
        guard let update = try? JSONValue(parsing: Data(buffer: body)), update["update_id"] != nil else {
            throw APIError.badRequest("not a Telegram update")
        }
        try await handle(update: update)
        return try JSONResponse.make(.ok, ["ok": true])
    }
}
