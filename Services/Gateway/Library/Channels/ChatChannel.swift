import AgentBase

/// A chat service the gateway answers through (one implementation per service: Telegram, Slack, GitHub).
public protocol ChatChannel: Sendable {
    /// The `Origin.channel` this channel serves.
    var name: String { get }
    /// Sends text to the origin; returns the id of the message sent (for later edits), if the service has one.
    @discardableResult
    func send(_ text: String, to origin: Origin) async throws(ChannelError) -> String?
    /// Replaces the text of a message sent earlier (progress updates). Channels that cannot edit send anew.
    func update(_ message: String, with text: String, at origin: Origin) async throws(ChannelError)
    /// Shows a request that waits for an admin, with approve / deny buttons where the service has them; returns the
    /// id of the message sent.
    func requestApproval(_ text: String, approval: String, to origin: Origin) async throws(ChannelError) -> String?
    /// The bytes of a file someone sent, at most `maxBytes` (more is `ChannelError.permanent`).
    func fetch(_ file: IncomingFile, maxBytes: Int) async throws(ChannelError) -> [UInt8]
    /// Sends a file to the origin (a long diff, a report), with `caption` beside it.
    func sendFile(_ file: StoredFile, bytes: [UInt8], caption: String?, to origin: Origin) async throws(ChannelError)
}

extension ChatChannel {
    /// Without buttons: the prompt says what to type.
    public func requestApproval(_ text: String, approval: String, to origin: Origin) async throws(ChannelError) -> String? {
        try await send("\(text)\nAn admin answers /approve \(approval) or /deny \(approval).", to: origin)
    }
}

extension ChatChannel {
    /// Channels that take no files say so.
    public func fetch(_ file: IncomingFile, maxBytes: Int) async throws(ChannelError) -> [UInt8] {
        if let bytes = file.bytes { return bytes }
        throw .permanent("\(name) cannot fetch files")
    }

    /// Without file uploads: a text file is pasted (cut), anything else named.
    public func sendFile(_ file: StoredFile, bytes: [UInt8], caption: String?, to origin: Origin) async throws(ChannelError) {
        try await send(FilePaste.text(file, bytes: bytes, caption: caption), to: origin)
    }
}

/// A failure to deliver to a chat service.
public enum ChannelError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Too many requests: wait this long (the service's `retry_after`), then try again.
    case rateLimited(retryAfter: Duration)
    /// Worth retrying later (network, 5xx).
    case transient(String)
    /// Will not work however often it is tried (bad token, chat gone, message too long).
    case permanent(String)

    public var description: String {
        switch self {
        case .rateLimited(let wait): return "rate limited; retry after \(wait)"
        case .transient(let why): return "temporary failure: \(why)"
        case .permanent(let why): return "failed: \(why)"
        }
    }
}
