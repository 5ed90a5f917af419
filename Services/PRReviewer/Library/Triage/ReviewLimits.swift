/// How much of a change is reviewed; files past a limit are skipped and named in the review.
public struct ReviewLimits: Sendable, Hashable {
    /// Files reviewed at the most, in diff order.
    public var maxFiles: Int
    /// A file with more changed lines (added plus removed) is skipped.
    public var maxChangedLinesPerFile: Int
    /// Changed lines reviewed at the most over all files; the files that would pass it are skipped.
    public var maxTotalChangedLines: Int
    /// Bytes of one added line the line rules look at; the rest of a longer line is not checked (the review says so).
    public var maxScannedLineLength: Int

    public init(maxFiles: Int = 300, maxChangedLinesPerFile: Int = 5_000, maxTotalChangedLines: Int = 30_000, maxScannedLineLength: Int = 256 * 1024) {
        self.maxFiles = maxFiles
        self.maxChangedLinesPerFile = maxChangedLinesPerFile
        self.maxTotalChangedLines = maxTotalChangedLines
        self.maxScannedLineLength = maxScannedLineLength
    }
}
