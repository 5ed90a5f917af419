extension PRReviewResult: ReadableResult {
    /// The summary, the first 20 findings with their place, and the posted review's link.
    public var text: String {
        var lines = ["✅ Review: \(summary)"]
        lines += findings.prefix(20).map { "- \($0.severity.rawValue) \($0.path)\($0.line.map { ":\($0)" } ?? ""): \($0.message)" }
        if findings.count > 20 { lines.append("… and \(findings.count - 20) more") }
        if let reviewURL { lines.append(reviewURL) }
        return lines.joined(separator: "\n")
    }
}
