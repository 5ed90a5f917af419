import Foundation

/// The part of an added line one rule expression is run over. A line of ordinary length is one window; a very long
/// line (minified JavaScript, a data blob) is cut into overlapping windows, so an expression that backtracks
/// quadratically costs at most the square of a window per window, never the square of the line. Only the first
/// `limit` bytes of a line are cut into windows; `RuleEngine` callers say when a line was longer.
///
/// Each window is its own string (`text`) and the expression searches only `range` in it; `text` reaches `overlap`
/// further on both sides, so word boundaries and look-arounds see the real neighbours (transparent bounds), while `^`
/// and `$` match only at the line's real start and end (no anchoring bounds). A match up to `overlap` long that
/// straddles two windows lies wholly inside the search range of the window it starts in.
struct ScanWindow {
    let text: String
    let range: NSRange
    let options: NSRegularExpression.MatchingOptions

    /// Scalars searched per window.
    static let size = 1024
    /// Context on each side of a window, and the longest match guaranteed to be found across a window edge.
    static let overlap = 256

    /// The windows of the first `limit` bytes of `line`: the line itself when it is short.
    static func windows(of line: String, limit: Int = ReviewLimits().maxScannedLineLength) -> [ScanWindow] {
        let line = line.utf8.count > limit ? String(decoding: line.utf8.prefix(limit), as: UTF8.self) : line
        guard line.utf8.count > size + 2 * overlap else {
            return [ScanWindow(text: line, range: NSRange(line.startIndex..., in: line), options: [])]
        }
        let scalars = line.unicodeScalars
        var windows: [ScanWindow] = []
        var start = scalars.startIndex
        var behind = 0
        while start < scalars.endIndex {
            let from = scalars.index(start, offsetBy: -min(behind, overlap))
            let searchEnd = scalars.index(start, offsetBy: size + overlap, limitedBy: scalars.endIndex) ?? scalars.endIndex
            let to = scalars.index(searchEnd, offsetBy: overlap, limitedBy: scalars.endIndex) ?? scalars.endIndex
            let text = String(scalars[from..<to])
            let location = line.utf16.distance(from: from, to: start)
            let length = line.utf16.distance(from: start, to: searchEnd)
            windows.append(ScanWindow(text: text, range: NSRange(location: location, length: length), options: [.withTransparentBounds, .withoutAnchoringBounds]))
            guard let next = scalars.index(start, offsetBy: size, limitedBy: scalars.endIndex) else { break }
            start = next
            behind += size
        }
        return windows
    }
}
