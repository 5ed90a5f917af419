/// What a model costs, in US dollars per million tokens read and written (the registry's `prices:` table).
public struct ModelPrice: Sendable, Hashable, Codable {
    public var inputPerMTok: Double
    public var outputPerMTok: Double

    public init(inputPerMTok: Double, outputPerMTok: Double) {
        self.inputPerMTok = inputPerMTok
        self.outputPerMTok = outputPerMTok
    }

    /// The cost of one call in US dollars.
    public func cost(tokensIn: Int, tokensOut: Int) -> Double {
        (Double(tokensIn) * inputPerMTok + Double(tokensOut) * outputPerMTok) / 1_000_000
    }
}

extension AgentRegistry {
    /// The price of a model: an exact entry, else the longest entry the name starts with (a dated model
    /// `claude-sonnet-4-5-20250929` is priced as `claude-sonnet-4-5`); nil when the table does not know it.
    public func price(of model: String) -> ModelPrice? {
        if let exact = prices[model] { return exact }
        return prices.filter { model.hasPrefix($0.key) }.max { $0.key.count < $1.key.count }?.value
    }
}
