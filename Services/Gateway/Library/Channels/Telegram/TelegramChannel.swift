import AgentBase

/// Answers in Telegram: `sendMessage` (split at 4,096 characters, MarkdownV2-escaped) and `editMessageText` for progress.
public struct TelegramChannel: ChatChannel {
    public let name = "telegram"
    let client: TelegramClient
    static let limit = 4096

    public init(client: TelegramClient) {
        self.client = client
    }

    @discardableResult
    public func send(_ text: String, to origin: Origin) async throws(ChannelError) -> String? {
        var last: String?
        for chunk in ResultRenderer.split(text, limit: Self.limit - 200) {
            var parameters: [String: JSONValue] = ["chat_id": Self.chatID(origin.chat), "text": .string(TelegramMarkdown.escape(chunk)), "parse_mode": "MarkdownV2"]
            if let thread = origin.thread, let id = Int(thread) { parameters["message_thread_id"] = .number(Double(id)) }
            let result = try await client.call("sendMessage", parameters)
            last = result["message_id"]?.intValue.map(String.init)
        }
        return last
    }

    /// The prompt with inline buttons whose presses come back as `callback_query` updates.
    public func requestApproval(_ text: String, approval: String, to origin: Origin) async throws(ChannelError) -> String? {
        var parameters: [String: JSONValue] = [
            "chat_id": Self.chatID(origin.chat), "text": .string(TelegramMarkdown.escape(text)), "parse_mode": "MarkdownV2",
            "reply_markup": ["inline_keyboard": [[
                ["text": "Approve", "callback_data": .string("approve:\(approval)")], ["text": "Deny", "callback_data": .string("deny:\(approval)")],
            ]]],
        ]
        if let thread = origin.thread, let id = Int(thread) { parameters["message_thread_id"] = .number(Double(id)) }
        return try await client.call("sendMessage", parameters)["message_id"]?.intValue.map(String.init)
    }

    public func update(_ message: String, with text: String, at origin: Origin) async throws(ChannelError) {
        guard let id = Int(message) else { return }
        do {
            _ = try await client.call("editMessageText", [
                "chat_id": Self.chatID(origin.chat), "message_id": .number(Double(id)),
                "text": .string(TelegramMarkdown.escape(String(text.prefix(Self.limit - 200)))), "parse_mode": "MarkdownV2",
            ])
        } catch .permanent(let why) where why.contains("message is not modified") {
            return
        }
    }

    static func chatID(_ chat: String) -> JSONValue {
        Int(chat).map { .number(Double($0)) } ?? .string(chat)
    }
}

/// Telegram MarkdownV2 escaping: every special character gets a backslash, so text shows as written.
public enum TelegramMarkdown {
    static let special: Set<Character> = ["_", "*", "[", "]", "(", ")", "~", "`", ">", "#", "+", "-", "=", "|", "{", "}", ".", "!", "\\"]

    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for character in text {
            if special.contains(character) { out.append("\\") }
            out.append(character)
        }
        return out
    }
}
