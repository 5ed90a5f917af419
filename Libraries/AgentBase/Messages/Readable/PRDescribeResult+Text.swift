extension PRDescribeResult: ReadableResult {
    /// The title, the summary, the labels and the first 20 files, then the posted comment's link.
    public var text: String {
        var lines = ["📝 \(title)", summary]
        if !labels.isEmpty { lines.append("Labels: \(labels.joined(separator: ", "))") }
        lines += walkthrough.prefix(20).map { "- \($0.path): \($0.change), +\($0.added) −\($0.removed)" }
        if walkthrough.count > 20 { lines.append("… and \(walkthrough.count - 20) more files") }
        if let commentURL { lines.append(commentURL) }
        return lines.joined(separator: "\n")
    }
}
