import AgentBase
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Takes Telegram updates (from polling or the webhook) to the chat service and answers in the chat.
public struct TelegramFront: Sendable {
    let configuration: TelegramConfiguration
    let channel: TelegramChannel
    let chat: ChatService
    let broker: RedisStreamBroker
    let logger: Logger

    public init(configuration: TelegramConfiguration, channel: TelegramChannel, chat: ChatService, broker: RedisStreamBroker, logger: Logger) {
        self.configuration = configuration
        self.channel = channel
        self.chat = chat
        self.broker = broker
        self.logger = logger
    }

    /// Handles one update once: a repeated `update_id` (a redelivered webhook, a poll after a crash) is skipped.
    public func handle(update: JSONValue) async throws {
        guard let updateID = update["update_id"]?.intValue else { return }
        let claim = broker.keys.seen("telegram", "update", String(updateID))
        guard try await broker.claimIdempotencyKey(claim, task: "seen") == nil else { return }
        do {
            try await handleOnce(update)
        } catch let error as ChannelError {
            if case .permanent = error { throw error }
            _ = try? await broker.send(["DEL", claim])  // let the next poll or webhook retry have it
            throw error
        } catch {
            _ = try? await broker.send(["DEL", claim])
            throw error
        }
    }

    private func handleOnce(_ update: JSONValue) async throws {
        guard let message = update["message"] ?? update["edited_message"], let text = message["text"]?.stringValue,
              let chatID = message["chat"]?["id"]?.intValue, let userID = message["from"]?["id"]?.intValue else { return }
        let origin = Origin(
            channel: "telegram", chat: String(chatID), thread: message["message_thread_id"]?.intValue.map(String.init),
            message: message["message_id"]?.intValue.map(String.init)
        )
        guard configuration.allowedUsers.contains(String(userID)) else {
            logger.notice("refused a Telegram user who is not allowed", metadata: ["user": "\(userID)"])
            try await channel.send("Sorry, this bot only works for its team. Your Telegram user id is \(userID); ask the operator to add it to TELEGRAM_ALLOWED_USERS.", to: origin)
            return
        }
        let reply = try await chat.handle(InboundMessage(origin: origin, user: String(userID), text: text))
        let sent = try await channel.send(reply.text, to: origin)
        if let task = reply.task {
            try await chat.remember(statusMessage: sent, for: task, origin: origin)
        }
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
