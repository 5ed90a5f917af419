/// A path pattern as in `.gitignore`: `*` and `?` within one path segment, `**` across segments, `{a,b}` alternatives;
/// a pattern without `/` matches a file name at any depth, and a trailing `/` matches everything under that folder at any depth.
public struct PathGlob: Sendable, Hashable, CustomStringConvertible {
    /// The pattern as written.
    public let pattern: String
    private let alternatives: [[Substring]]

    public init(_ pattern: String) {
        self.pattern = pattern
        var normalized = pattern.hasPrefix("/") ? String(pattern.dropFirst()) : pattern
        let isFolder = normalized.hasSuffix("/")
        if isFolder { normalized += "**" }
        let anchored = pattern.hasPrefix("/") || normalized.dropLast(isFolder ? 3 : 0).contains("/")
        if !anchored { normalized = "**/" + normalized }
        alternatives = Self.expandBraces(normalized).map { $0.split(separator: "/", omittingEmptySubsequences: false) }
    }

    public var description: String { pattern }

    /// Whether `path` (relative, `/`-separated) matches.
    public func matches(_ path: String) -> Bool {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)[...]
        return alternatives.contains { Self.match($0[...], segments) }
    }

    /// Whether any of `globs` matches `path`.
    public static func any(_ globs: [PathGlob], match path: String) -> Bool {
        globs.contains { $0.matches(path) }
    }

    private static func match(_ pattern: ArraySlice<Substring>, _ path: ArraySlice<Substring>) -> Bool {
        guard let head = pattern.first else { return path.isEmpty }
        if head == "**" {
            let rest = pattern.dropFirst()
            return path.indices.contains { match(rest, path[$0...]) } || match(rest, path[path.endIndex...])
        }
        guard let segment = path.first, matchSegment(Array(head), Array(segment)) else { return false }
        return match(pattern.dropFirst(), path.dropFirst())
    }

    /// `fnmatch` for one segment: `*` any run, `?` one character.
    private static func matchSegment(_ pattern: [Character], _ text: [Character]) -> Bool {
        var p = 0, t = 0
        var star: Int?, resume = 0
        while t < text.count {
            if p < pattern.count, pattern[p] == "?" || pattern[p] == text[t] {
                p += 1
                t += 1
            } else if p < pattern.count, pattern[p] == "*" {
                star = p
                resume = t
                p += 1
            } else if let star {
                p = star + 1
                resume += 1
                t = resume
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }

    /// `a.{js,ts}` is `a.js` and `a.ts`; braces do not nest.
    private static func expandBraces(_ pattern: String) -> [String] {
        guard let open = pattern.firstIndex(of: "{"), let close = pattern[open...].firstIndex(of: "}") else { return [pattern] }
        let head = pattern[..<open], tail = String(pattern[pattern.index(after: close)...])
        return pattern[pattern.index(after: open)..<close].split(separator: ",", omittingEmptySubsequences: false).flatMap { option in
            expandBraces(tail).map { head + option + $0 }
        }
    }
}
