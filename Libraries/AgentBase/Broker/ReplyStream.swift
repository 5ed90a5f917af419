extension KeySpace {
    /// `sb:reply:`: the only keys a request's `reply_to` may name (streams a client reads its results from).
    public var replyPrefix: String { "\(prefix):reply:" }
}

extension Envelope {
    /// Whether `replyTo` names a stream under `<prefix>:reply:` (never a service's own key).
    public static func isReplyStream(_ replyTo: String, keys: KeySpace) -> Bool {
        replyTo.hasPrefix(keys.replyPrefix) && replyTo.count > keys.replyPrefix.count
    }
}
