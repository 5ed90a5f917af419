/// Merges findings from several sources: drops duplicates (same place and rule, or same place and nearly the same message
/// as a finding already seen there, the more severe one and the rule's one winning), folds a model finding on a line a
/// rule flagged into the rule's finding (one comment per concern: the rule's words, then the model's, the more severe
/// of the two), and sorts most severe first, then by path and line.
public enum FindingMerger {
    /// How alike two messages' word sets must be (Jaccard index) to count as the same finding.
    static let similarity = 0.8

    public static func merge(_ findings: [ReviewFinding]) -> [ReviewFinding] {
        let preferred = findings.sorted { ($0.severity.rank, $0.source == .rules ? 1 : 0) > ($1.severity.rank, $1.source == .rules ? 1 : 0) }
        var seen: [String: [ReviewFinding]] = [:]
        var merged: [ReviewFinding] = []
        for finding in preferred {
            let words = Self.words(finding.message)
            let duplicate = seen[finding.location, default: []].contains { other in
                other.rule == finding.rule || jaccard(words, Self.words(other.message)) >= similarity
            }
            seen[finding.location, default: []].append(finding)
            if !duplicate { merged.append(finding) }
        }
        return foldModelFindings(merged).sorted(by: isOrderedBefore)
    }

    /// Each model finding on a line that has a rule finding becomes part of that rule finding.
    static func foldModelFindings(_ findings: [ReviewFinding]) -> [ReviewFinding] {
        var folded = findings
        var ruleAt: [String: Int] = [:]
        for (index, finding) in findings.enumerated() where finding.source == .rules && finding.line != nil && ruleAt[finding.location] == nil {
            ruleAt[finding.location] = index
        }
        var dropped = Set<Int>()
        for (index, finding) in findings.enumerated() where finding.source == .model && finding.line != nil {
            guard let target = ruleAt[finding.location] else { continue }
            folded[target].message += " Model: \(finding.message)"
            if finding.severity.rank > folded[target].severity.rank { folded[target].severity = finding.severity }
            dropped.insert(index)
        }
        return folded.indices.filter { !dropped.contains($0) }.map { folded[$0] }
    }

    /// Most severe first, then path, then line (whole-file findings first), then rule.
    static func isOrderedBefore(_ a: ReviewFinding, _ b: ReviewFinding) -> Bool {
        if a.severity != b.severity { return a.severity.rank > b.severity.rank }
        if a.path != b.path { return a.path < b.path }
        if a.line != b.line { return (a.line ?? 0) < (b.line ?? 0) }
        return a.rule < b.rule
    }

    private static func words(_ message: String) -> Set<Substring> {
        Set(message.lowercased().split { !$0.isLetter && !$0.isNumber })
    }

    private static func jaccard(_ a: Set<Substring>, _ b: Set<Substring>) -> Double {
        let union = a.union(b).count
        return union == 0 ? 1 : Double(a.intersection(b).count) / Double(union)
    }
}
