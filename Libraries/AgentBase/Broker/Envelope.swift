/// The flat string fields of one stream entry, as DESIGN.md's wire format names them.
public struct Envelope: Sendable, Hashable {
    public var type: String
    /// The JSON text of the typed body.
    public var payload: String
    public var task: String?
    public var replyTo: String?
    public var source: String?
    public var conversation: String?
    public var idempotencyKey: String?
    public var traceparent: String?

    public init(type: String, payload: String, task: String? = nil, replyTo: String? = nil, source: String? = nil, conversation: String? = nil, idempotencyKey: String? = nil, traceparent: String? = nil) {
        self.type = type
        self.payload = payload
        self.task = task
        self.replyTo = replyTo
        self.source = source
        self.conversation = conversation
        self.idempotencyKey = idempotencyKey
        self.traceparent = traceparent
    }

    /// The entry's fields in wire order, optional ones only when set.
    public var fields: [(String, String)] {
        var fields: [(String, String)] = [("type", type), ("payload", payload)]
        if let task { fields.append(("task", task)) }
        if let replyTo { fields.append(("reply_to", replyTo)) }
        if let source { fields.append(("source", source)) }
        if let conversation { fields.append(("conversation", conversation)) }
        if let idempotencyKey { fields.append(("idempotency_key", idempotencyKey)) }
        if let traceparent { fields.append(("traceparent", traceparent)) }
        return fields
    }

    /// Reads an envelope from raw entry fields; fails with the reason a dead letter will carry. A `reply_to` outside
    /// `keys.replyPrefix` is refused here, before any script could write to the key it names.
    public init(fields: [(String, String)], keys: KeySpace) throws(MessageRejection) {
        var values: [String: String] = [:]
        for (name, value) in fields where values[name] == nil { values[name] = value }
        guard let type = values["type"], !type.isEmpty else {
            throw MessageRejection(code: .badMessage, reason: "the entry has no 'type' field (fields present: \(fields.map(\.0).joined(separator: ", ")))")
        }
        guard let payload = values["payload"] else {
            throw MessageRejection(code: .badMessage, reason: "the entry has no 'payload' field; send a JSON object, e.g. payload '{}'")
        }
        self.init(
            type: type, payload: payload, task: values["task"].nonEmpty, replyTo: values["reply_to"].nonEmpty,
            source: values["source"].nonEmpty, conversation: values["conversation"].nonEmpty,
            idempotencyKey: values["idempotency_key"].nonEmpty, traceparent: values["traceparent"].nonEmpty
        )
        if let replyTo, !Self.isReplyStream(replyTo, keys: keys) { throw .replyOutsidePrefix(replyTo, keys: keys) }
    }

    /// Whether `key` may be a `reply_to`: a stream name under `<prefix>:reply:`.
    public static func isReplyStream(_ key: String, keys: KeySpace) -> Bool {
        key.hasPrefix(keys.replyPrefix) && key.count > keys.replyPrefix.count
    }
}

extension Optional where Wrapped == String {
    var nonEmpty: String? {
        guard let self, !self.isEmpty else { return nil }
        return self
    }
}

/// Why a message cannot be handled at all: it goes to the dead-letter stream at once, never retried.
public struct MessageRejection: Error, Sendable, Hashable, CustomStringConvertible {
    /// A short machine-readable code, the `error` field of the `task.failed` payload.
    public enum Code: String, Sendable, Hashable {
        case badMessage = "bad_message"
        case unknownType = "unknown_type"
        case invalidPayload = "invalid_payload"
    }

    public var code: Code
    public var reason: String

    public init(code: Code, reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { "\(code.rawValue): \(reason)" }

    /// A `reply_to` that names a key outside the reply streams.
    static func replyOutsidePrefix(_ key: String, keys: KeySpace) -> MessageRejection {
        MessageRejection(code: .badMessage, reason: "reply_to '\(key)' is not a reply stream: it must name a stream under '\(keys.replyPrefix)' (e.g. \(keys.reply("my-client"))); nothing was written to it")
    }

    /// A `reply_to` under the reply prefix whose key holds another type than a stream.
    static func replyNotStream(_ key: String, type: String) -> MessageRejection {
        MessageRejection(code: .badMessage, reason: "reply_to '\(key)' holds a \(type), not a stream; nothing was written to it")
    }
}
