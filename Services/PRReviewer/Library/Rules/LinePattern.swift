import Foundation

/// A regular expression over one added line, with an optional `unless` expression that clears a matching line.
/// Where the expression has a capture group, the first group is the part of the match that is looked at (the value of an assignment, say).
public struct LinePattern: Sendable {
    /// The expression as written in the rules file.
    public let pattern: String
    private let regex: NSRegularExpression
    private let unless: NSRegularExpression?

    /// Compiles `pattern` and `unless`.
    public init(_ pattern: String, unless: String? = nil) throws(InvalidPatternError) {
        self.pattern = pattern
        regex = try Self.compile(pattern, field: "pattern")
        self.unless = try unless.map { (text) throws(InvalidPatternError) in try Self.compile(text, field: "unless") }
    }

    private static func compile(_ text: String, field: String) throws(InvalidPatternError) -> NSRegularExpression {
        do {
            return try NSRegularExpression(pattern: text)
        } catch {
            throw InvalidPatternError(field: field, pattern: text)
        }
    }

    /// Whether `line` matches, with a matched part that `accept` takes, and `unless` does not match it.
    func matches(_ line: String, where accept: (Substring) -> Bool = { _ in true }) -> Bool {
        matches(ScanWindow.windows(of: line), where: accept)
    }

    /// The line with every match replaced by `template` (`$1` names a group), or nil when nothing matched.
    func replacing(in line: String, with template: String) -> String? {
        let range = NSRange(line.startIndex..., in: line)
        guard regex.firstMatch(in: line, range: range) != nil else { return nil }
        return regex.stringByReplacingMatches(in: line, range: range, withTemplate: template)
    }

    /// The first capture group of the first match (the whole match without one), unless `unless` matches the line.
    func firstCapture(_ windows: [ScanWindow]) -> String? {
        var captured: String?
        for window in windows where captured == nil && !Task.isCancelled {
            guard let match = regex.firstMatch(in: window.text, options: window.options, range: window.range) else { continue }
            let range = match.numberOfRanges > 1 && match.range(at: 1).location != NSNotFound ? match.range(at: 1) : match.range
            captured = Range(range, in: window.text).map { String(window.text[$0]) }
        }
        guard let captured else { return nil }
        if let unless, windows.contains(where: { unless.firstMatch(in: $0.text, options: $0.options, range: $0.range) != nil }) { return nil }
        return captured
    }

    /// The same over a line already cut into windows; stops early (no match) when the task is cancelled.
    func matches(_ windows: [ScanWindow], where accept: (Substring) -> Bool = { _ in true }) -> Bool {
        let found = windows.contains { window in
            !Task.isCancelled && regex.matches(in: window.text, options: window.options, range: window.range).contains { match in
                let captured = match.numberOfRanges > 1 && match.range(at: 1).location != NSNotFound ? match.range(at: 1) : match.range
                return Range(captured, in: window.text).map { accept(window.text[$0]) } ?? false
            }
        }
        guard found, let unless else { return found }
        return !windows.contains { unless.firstMatch(in: $0.text, options: $0.options, range: $0.range) != nil }
    }
}

/// A rule expression that does not compile, naming which one (`pattern` or `unless`).
public struct InvalidPatternError: Error, Sendable, Hashable, CustomStringConvertible {
    public var field: String
    public var pattern: String

    public var description: String {
        "'\(pattern)' is not a valid regular expression (ICU syntax: check parentheses, brackets and escapes; in YAML single quotes a backslash stays as it is)"
    }
}
