import AgentBase

extension ReviewReport {
    /// A compact rendering for chat: a headline, the `limit` most severe findings one line each, and what was left out.
    public func chatText(limit: Int = 5, maxMessageLength: Int = 140) -> String {
        let files = Plural.count(reviewedFiles.count, "file")
        guard !findings.isEmpty else {
            return (["Review: no findings in \(files)."] + (skipped.isEmpty ? [] : [skippedNote(limit: 3)])).joined(separator: "\n")
        }
        var lines = ["Review: \(Plural.count(findings.count, "finding")) in \(files) (\(severityCounts))."]
        lines += findings.prefix(limit).map { finding in
            let message = finding.message.count > maxMessageLength ? finding.message.prefix(maxMessageLength - 1) + "…" : finding.message[...]
            return "• \(finding.severity.rawValue) \(finding.location) [\(finding.rule)] \(message)"
        }
        if findings.count > limit { lines.append("…and \(findings.count - limit) more.") }
        if !skipped.isEmpty { lines.append(skippedNote(limit: 3)) }
        return lines.joined(separator: "\n")
    }
}
