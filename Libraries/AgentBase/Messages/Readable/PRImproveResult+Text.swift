extension PRImproveResult: ReadableResult {
    /// How many suggestions, each with its place, reason and replacement line, then the notes and the review link.
    public var text: String {
        var lines = [suggestions.isEmpty ? "No suggestions." : "\(suggestions.count) suggestion\(suggestions.count == 1 ? "" : "s"):"]
        for suggestion in suggestions {
            lines.append("- \(suggestion.path):\(suggestion.line) — \(suggestion.message)")
            lines.append("  → \(suggestion.replacement)")
        }
        lines += notes
        if let reviewURL { lines.append("Posted: \(reviewURL)") }
        return lines.joined(separator: "\n")
    }
}
