import AgentBase

/// Answers in Telegram: `sendMessage` (MarkdownV2-escaped, split so that no message is over 4,096 characters after
/// escaping) and `editMessageText` for progress.
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
        for message in Self.messages(text) {
            var parameters: [String: JSONValue] = ["chat_id": Self.chatID(origin.chat), "text": .string(message), "parse_mode": "MarkdownV2"]
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

    /// `getFile`, then the file itself; the reference is the `file_id`.
    public func fetch(_ file: IncomingFile, maxBytes: Int) async throws(ChannelError) -> [UInt8] {
        if let bytes = file.bytes { return bytes }
        return try await client.download(fileID: file.reference, maxBytes: maxBytes)
    }

    /// `sendDocument` with the file as an upload and the caption (plain text, cut at Telegram's 1,024 characters).
    public func sendFile(_ file: StoredFile, bytes: [UInt8], caption: String?, to origin: Origin) async throws(ChannelError) {
        var form = MultipartForm()
        form.add("chat_id", origin.chat)
        if let thread = origin.thread, Int(thread) != nil { form.add("message_thread_id", thread) }
        if let caption { form.add("caption", String(caption.prefix(1024))) }
        form.add(file: "document", filename: file.name, mediaType: file.mediaType, bytes: bytes)
        _ = try await client.upload("sendDocument", form)
    }

    public func update(_ message: String, with text: String, at origin: Origin) async throws(ChannelError) {
        guard let id = Int(message) else { return }
        do {
            _ = try await client.call("editMessageText", [
                "chat_id": Self.chatID(origin.chat), "message_id": .number(Double(id)),
                "text": .string(Self.messages(text).first ?? ""), "parse_mode": "MarkdownV2",
            ])
        } catch .permanent(let why) where why.contains("message is not modified") {
            return
        }
    }

    /// The text as escaped MarkdownV2 messages of at most `limit` UTF-16 units each (what Telegram counts), split at
    /// line breaks where possible. Escaping can double a chunk, so a chunk that grows past the limit is split finer.
    static func messages(_ text: String, splitAt: Int = limit) -> [String] {
        ResultRenderer.split(text, limit: splitAt).flatMap { chunk -> [String] in
            let escaped = TelegramMarkdown.escape(chunk)
            guard escaped.utf16.count > limit, splitAt > 1 else { return [escaped] }
            return messages(chunk, splitAt: splitAt / 2)
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
