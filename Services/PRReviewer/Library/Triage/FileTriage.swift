/// Splits changed files into those to review and those skipped with a reason: binary, generated, vendored,
/// lock files, paths ignored by the repository, and whatever falls past the limits.
public struct FileTriage: Sendable {
    public var limits: ReviewLimits
    /// Paths the repository asked to ignore (`.switchboard.yml` `review.ignore`).
    public var ignore: [PathGlob]

    public init(limits: ReviewLimits = ReviewLimits(), ignore: [PathGlob] = []) {
        self.limits = limits
        self.ignore = ignore
    }

    /// The files to review, in their order, and the skipped ones with their reasons.
    public func triage(_ files: [ChangedFile]) -> (reviewed: [ChangedFile], skipped: [SkippedFile]) {
        var reviewed: [ChangedFile] = []
        var skipped: [SkippedFile] = []
        var totalLines = 0
        for file in files {
            if let reason = reason(toSkip: file, reviewedCount: reviewed.count, totalLines: totalLines) {
                skipped.append(SkippedFile(path: file.path, reason: reason))
            } else {
                reviewed.append(file)
                totalLines += file.changedLines
            }
        }
        return (reviewed, skipped)
    }

    private func reason(toSkip file: ChangedFile, reviewedCount: Int, totalLines: Int) -> SkipReason? {
        if let glob = ignore.first(where: { $0.matches(file.path) }) { return .ignored(pattern: glob.pattern) }
        if let reason = FileClassifier.skipReason(for: file) { return reason }
        if file.changedLines > limits.maxChangedLinesPerFile { return .tooManyChangedLines(lines: file.changedLines, limit: limits.maxChangedLinesPerFile) }
        if reviewedCount >= limits.maxFiles { return .fileLimit(limits.maxFiles) }
        if totalLines + file.changedLines > limits.maxTotalChangedLines { return .totalLineLimit(limits.maxTotalChangedLines) }
        return nil
    }
}
