extension PRAskResult: ReadableResult {
    /// The answer, then the posted comment's link.
    public var text: String {
        (["💬 \(answer)"] + (commentURL.map { [$0] } ?? [])).joined(separator: "\n")
    }
}
