import AgentBase
import Foundation

/// The `review` section of a reviewed repository's `.switchboard.yml`: rules to turn off, paths to leave out,
/// and the lowest severity worth reporting.
public struct RepositoryConfig: Sendable, Hashable {
    /// Where the file sits in the reviewed repository.
    public static let fileName = RepositoryInstructions.fileName

    /// Rule ids whose findings are dropped (`llm` drops the model's findings).
    public var disabledRules: Set<String>
    /// Files matching any of these are skipped as ignored.
    public var ignore: [PathGlob]
    /// Findings below this severity are dropped.
    public var severityThreshold: Severity
    /// Commands run when a pull request is opened (`review.on_open`; default: review).
    public var onOpen: [AutomaticCommand]
    /// Commands run when commits are pushed to it (`review.on_push`; default: review).
    public var onPush: [AutomaticCommand]

    /// What a forge event can run by itself.
    public enum AutomaticCommand: String, Sendable, Hashable, CaseIterable {
        case review
        case describe
        case improve
    }

    public init(disabledRules: Set<String> = [], ignore: [PathGlob] = [], severityThreshold: Severity = .info, onOpen: [AutomaticCommand] = [.review], onPush: [AutomaticCommand] = [.review]) {
        self.disabledRules = disabledRules
        self.ignore = ignore
        self.severityThreshold = severityThreshold
        self.onOpen = onOpen
        self.onPush = onPush
    }

    /// The commands a review started by `trigger` runs; a review asked for by hand only reviews.
    public func commands(for trigger: PRReviewRequest.Trigger?) -> [AutomaticCommand] {
        switch trigger {
        case .opened?: onOpen
        case .pushed?: onPush
        case nil: [.review]
        }
    }

    /// Parses `.switchboard.yml` text; other top-level sections are left to whoever owns them. With `knownRules`,
    /// a disabled id that is not among them is an error (a typo would otherwise silently disable nothing).
    /// `minimumSeverity` is the threshold when the file sets none (the service's `REVIEW_MIN_SEVERITY`).
    public static func parse(_ text: String, path: String = fileName, knownRules: Set<String>? = nil, minimumSeverity: Severity = .info) throws(ConfigFileError) -> RepositoryConfig {
        try RepositoryConfigParser(path: path, knownRules: knownRules, minimumSeverity: minimumSeverity).parse(text)
    }

    /// Whether a finding is kept: its rule is not disabled, its path not ignored, its severity at the threshold or above.
    public func keeps(_ finding: ReviewFinding) -> Bool {
        !disabledRules.contains(finding.rule) && !PathGlob.any(ignore, match: finding.path) && finding.severity.rank >= severityThreshold.rank
    }
}
