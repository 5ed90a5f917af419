/// A typed request that travels as the `payload` of a stream entry, with the result type its agent returns.
public protocol AgentMessage: Codable, Sendable {
    /// The result published as the payload of `task.completed`.
    associatedtype Result: Codable & Sendable
    /// The wire `type` field, e.g. `pr.review`.
    static var type: String { get }
    /// Checks what the schema cannot say (e.g. which of two forms a request takes); called right after decoding.
    func validate() throws(MessageValidationError)
}

extension AgentMessage {
    public func validate() throws(MessageValidationError) {}
}
