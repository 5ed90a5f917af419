/// The API tokens of `GATEWAY_API_TOKENS` (or the first-run token) by client name, matched in constant time.
struct TokenTable: Sendable {
    private let tokens: [(name: String, token: [UInt8])]

    init(_ tokens: [String: String]) {
        self.tokens = tokens.sorted { $0.key < $1.key }.map { ($0.key, Array($0.value.utf8)) }
    }

    var isEmpty: Bool { tokens.isEmpty }

    /// The client whose token `presented` is; every token is compared, so the time says nothing of which matched.
    func client(presenting presented: String) -> String? {
        let bytes = Array(presented.utf8)
        var matched: String?
        for candidate in tokens where ConstantTime.equal(bytes, candidate.token) {
            matched = candidate.name
        }
        return matched
    }

    /// Whether a client of this name has a token (a session of a client whose token was removed is no longer valid).
    func contains(client: String) -> Bool {
        tokens.contains { $0.name == client }
    }
}
