/// Why a changed file was left out of the review.
public enum SkipReason: Sendable, Hashable, CustomStringConvertible {
    case binary
    case generated
    case vendored
    case lockFile
    /// The forge sent no patch (its diff was too large for it to show).
    case patchUnavailable
    /// A path in `.switchboard.yml` `review.ignore` matched.
    case ignored(pattern: String)
    /// More changed lines than `ReviewLimits.maxChangedLinesPerFile`.
    case tooManyChangedLines(lines: Int, limit: Int)
    /// Past `ReviewLimits.maxFiles` reviewed files.
    case fileLimit(Int)
    /// Past `ReviewLimits.maxTotalChangedLines` changed lines in all reviewed files.
    case totalLineLimit(Int)

    public var description: String {
        switch self {
        case .binary: "binary"
        case .generated: "generated"
        case .vendored: "vendored"
        case .lockFile: "lock file"
        case .patchUnavailable: "no patch from the forge (diff too large)"
        case .ignored(let pattern): "ignored by .switchboard.yml (\(pattern))"
        case .tooManyChangedLines(let lines, let limit): "\(lines) changed lines, over the \(limit) per file"
        case .fileLimit(let limit): "over the limit of \(limit) files"
        case .totalLineLimit(let limit): "over the limit of \(limit) changed lines in all"
        }
    }
}

/// A changed file that was not reviewed, and why.
public struct SkippedFile: Sendable, Hashable {
    public var path: String
    public var reason: SkipReason

    public init(path: String, reason: SkipReason) {
        self.path = path
        self.reason = reason
    }
}
