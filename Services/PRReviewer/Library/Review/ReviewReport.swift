import AgentBase

/// The outcome of a review: the findings (merged, filtered by the repository's config, sorted), what was reviewed and skipped,
/// and the model's summary when a model took part.
public struct ReviewReport: Sendable {
    public private(set) var findings: [ReviewFinding]
    public var reviewedFiles: [ChangedFile]
    public var skipped: [SkippedFile]
    public var config: RepositoryConfig
    /// What the model said of the change as a whole.
    public var modelSummary: String?
    /// Remarks for people, e.g. that no model was configured or that model findings off the diff were dropped.
    public var notes: [String]

    public init(findings: [ReviewFinding], reviewedFiles: [ChangedFile], skipped: [SkippedFile] = [], config: RepositoryConfig = RepositoryConfig(), modelSummary: String? = nil, notes: [String] = []) {
        self.findings = []
        self.reviewedFiles = reviewedFiles
        self.skipped = skipped
        self.config = config
        self.modelSummary = modelSummary
        self.notes = notes
        add(findings)
    }

    /// Adds findings from another source (a model), then de-duplicates, filters by the config and sorts again.
    public mutating func add(_ more: [ReviewFinding]) {
        findings = FindingMerger.merge(findings + more.filter(config.keeps))
    }

    /// How many findings have this severity.
    public func count(_ severity: Severity) -> Int {
        findings.filter { $0.severity == severity }.count
    }

    /// `1 error, 2 warning`: the counts of the severities that occur, most severe first.
    public var severityCounts: String {
        Severity.allCases.compactMap { severity in count(severity) > 0 ? "\(count(severity)) \(severity.rawValue)" : nil }.joined(separator: ", ")
    }

    /// One paragraph: findings by severity, files reviewed, skipped files with reasons, notes, and the model's summary.
    public var summary: String {
        let files = Plural.count(reviewedFiles.count, "changed file")
        var text: String
        if findings.isEmpty {
            text = "No findings in \(files)."
        } else {
            text = "\(Plural.count(findings.count, "finding")) in \(files): \(severityCounts)."
        }
        if !skipped.isEmpty { text += " " + skippedNote(limit: 5) }
        for note in notes { text += " " + note }
        if let modelSummary, !modelSummary.isEmpty { text += "\n\n" + modelSummary }
        return text
    }

    /// `Skipped 2 files: Package.resolved (lock file), logo.png (binary).`, listing at most `limit` of them.
    public func skippedNote(limit: Int) -> String {
        "Skipped \(Plural.count(skipped.count, "file")): \(Plural.list(skipped.map { "\($0.path) (\($0.reason))" }, limit: limit))."
    }

    /// The `pr.review` result.
    public func result(posted: Bool, reviewURL: String? = nil) -> PRReviewResult {
        PRReviewResult(summary: summary, findings: findings.map(\.result), posted: posted, reviewURL: reviewURL)
    }
}

/// "1 file", "3 files"; "a, b and 4 more".
enum Plural {
    static func count(_ count: Int, _ noun: String) -> String {
        "\(count) \(noun)\(count == 1 ? "" : "s")"
    }

    /// The first `limit` items joined with commas, then how many more there are.
    static func list(_ items: [String], limit: Int) -> String {
        items.prefix(limit).joined(separator: ", ") + (items.count > limit ? " and \(items.count - limit) more" : "")
    }
}
