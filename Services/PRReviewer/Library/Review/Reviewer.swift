/// The offline review of a change in one call: triage (skips and limits), the rule engine, and the repository's `.switchboard.yml`.
/// Model findings, when there are any, are added to the report afterwards with `ReviewReport.add(_:)`.
public struct Reviewer: Sendable {
    public var rules: RuleSet
    public var limits: ReviewLimits

    public init(rules: RuleSet, limits: ReviewLimits = ReviewLimits()) {
        self.rules = rules
        self.limits = limits
    }

    /// Reviews `files` (from `UnifiedDiff.parse` or `ChangedFile(forgePath:…)`) with the rules; stops with
    /// `CancellationError` when the task is cancelled.
    public func review(_ files: [ChangedFile], config: RepositoryConfig = RepositoryConfig()) throws(CancellationError) -> ReviewReport {
        let (reviewed, skipped) = FileTriage(limits: limits, ignore: config.ignore).triage(files)
        let engine = RuleEngine(rules: rules, maxScannedLineLength: limits.maxScannedLineLength)
        let findings = try engine.findings(in: reviewed, allChangedPaths: files.map(\.path), disabled: config.disabledRules)
        return ReviewReport(findings: findings, reviewedFiles: reviewed, skipped: skipped, config: config, notes: engine.partlyScannedNotes(in: reviewed))
    }
}
