extension TodosScrapeResult: ReadableResult {
    /// The count, what changed since the last scrape of the page in this conversation, then the checklist.
    public var text: String {
        let done = items.filter(\.done).count
        var lines = ["✅ \(items.count) items from \(sourceURL) (\(done) done)"]
        if let changes {
            let groups = [("➕ New", changes.added), ("☑️ Completed", changes.completed), ("↩️ Reopened", changes.reopened), ("➖ Gone", changes.removed)]
                .compactMap { label, texts in texts.isEmpty ? nil : "\(label): \(texts.joined(separator: "; "))" }
            lines.append(groups.isEmpty ? "No changes since \(changes.since)." : "Changes since \(changes.since):")
            lines += groups
        }
        if let markdown {
            lines.append(markdown)
        } else {
            lines += items.map { "- [\($0.done ? "x" : " ")] \($0.text)" }
        }
        return lines.joined(separator: "\n")
    }
}
