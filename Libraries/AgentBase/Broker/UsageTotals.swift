/// Model usage summed in a ledger hash (`sb:usage:conversation|user|agent:<id>`).
public struct UsageTotals: Sendable, Hashable, Codable {
    public var tokensIn: Int
    public var tokensOut: Int
    public var costUSD: Double
    /// How many model calls were counted.
    public var calls: Int

    public init(tokensIn: Int = 0, tokensOut: Int = 0, costUSD: Double = 0, calls: Int = 0) {
        self.tokensIn = tokensIn
        self.tokensOut = tokensOut
        self.costUSD = costUSD
        self.calls = calls
    }
}
