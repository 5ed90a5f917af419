extension ChatMessageResult: ReadableResult {
    /// The reply, with the suggested command when the reply does not name it already.
    public var text: String {
        guard let command = suggestedCommand, !reply.contains(command) else { return reply }
        return "\(reply)\n\nTry: \(command)"
    }
}
