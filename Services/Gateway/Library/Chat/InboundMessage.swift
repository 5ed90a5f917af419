import AgentBase

/// A message a person sent through a chat channel (Telegram, Slack, a GitHub comment), channel-neutral.
public struct InboundMessage: Sendable, Hashable {
    /// Where the reply goes.
    public var origin: Origin
    /// The sender's id in that channel (allow-lists and rate limits key on it).
    public var user: String
    /// The text, with any bot mention removed.
    public var text: String
    /// Whether the channel's own gate vouched for the sender (Telegram allow-list, Slack team, GitHub association).
    public var trusted: Bool
    /// Files sent with the message (not fetched yet: a coding session's turn fetches them through the channel).
    public var files: [IncomingFile]
    /// A role the channel itself gives the sender when access.yaml names none (the web chat's: the token's role).
    public var channelRole: Role?

    public init(origin: Origin, user: String, text: String, trusted: Bool, channelRole: Role? = nil, files: [IncomingFile] = []) {
        self.origin = origin
        self.user = user
        self.text = text
        self.trusted = trusted
        self.files = files
        self.channelRole = channelRole
    }

    /// The trust model's identity: `telegram:<user>`, `slack:<team>/<user>`, `github:<login>`, `web:<token name>`.
    public var identity: String { "\(origin.channel):\(user)" }
}

/// A file someone sent in a chat, as the channel describes it; its bytes are fetched only when a turn uses it.
public struct IncomingFile: Sendable, Hashable {
    /// The file's name as sent.
    public var name: String
    /// The media type the channel reports, if any.
    public var mediaType: String?
    /// The size the channel reports, if any (checked against the limit before fetching).
    public var size: Int?
    /// Where the channel finds it: a Telegram `file_id`, a Slack `url_private`.
    public var reference: String
    /// The bytes, when they came with the message (an upload to the web chat).
    public var bytes: [UInt8]?

    public init(name: String, mediaType: String? = nil, size: Int? = nil, reference: String, bytes: [UInt8]? = nil) {
        self.name = name
        self.mediaType = mediaType
        self.size = size
        self.reference = reference
        self.bytes = bytes
    }
}

/// Where a task came from and where its progress and result go back to.
public struct Origin: Codable, Sendable, Hashable {
    /// `telegram`, `slack`, `github`.
    public var channel: String
    /// Chat id, `team/channel`, or `owner/repo#number`.
    public var chat: String
    /// Telegram topic, Slack thread ts; nil when there is none.
    public var thread: String?
    /// The message being answered, when the channel can reply to one.
    public var message: String?

    public init(channel: String, chat: String, thread: String? = nil, message: String? = nil) {
        self.channel = channel
        self.chat = chat
        self.thread = thread
        self.message = message
    }

    /// DESIGN.md's `source` field: `telegram:<chat>`, `slack:<team>/<channel>/<thread>`, `github:<repo>#<n>`.
    public var source: String {
        switch channel {
        case "slack": return "slack:\(chat)/\(thread ?? message ?? "")"
        default: return "\(channel):\(chat)"
        }
    }

    /// The JSON `Codable` writes for it (`chat`, `channel`, `message`?, `thread`?), without a `JSONEncoder` per task.
    var json: String {
        var object: [String: JSONValue] = ["channel": .string(channel), "chat": .string(chat)]
        if let thread { object["thread"] = .string(thread) }
        if let message { object["message"] = .string(message) }
        return JSONValue.object(object).jsonString
    }

    /// The conversation key: the chat, and its topic or thread when there is one.
    public var conversation: String {
        if let thread { return "\(channel):\(chat):\(thread)" }
        return "\(channel):\(chat)"
    }
}
