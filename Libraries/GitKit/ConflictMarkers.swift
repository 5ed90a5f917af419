import AgentBase

/// Reads and rewrites the conflict markers git leaves in a file (`merge.conflictStyle=diff3`):
/// `<<<<<<< ours`, `||||||| base`, `=======`, `>>>>>>> theirs`.
public enum ConflictMarkers {
    /// A conflicted file cut into the text outside conflicts and the conflicts themselves, in order.
    public enum Segment: Sendable, Hashable {
        case text(String)
        case conflict(ConflictHunk)
    }

    /// The file's segments; a marker block that never closes is kept as text.
    public static func segments(_ text: String) -> [Segment] {
        var segments: [Segment] = []
        var plain = ""
        var block: (start: Int, raw: String, sides: [String], phase: Int, hasBase: Bool)?
        for (index, line) in lines(text).enumerated() {
            if var open = block {
                open.raw += line
                if line.hasPrefix("|||||||"), open.phase == 0 {
                    open.phase = 1
                    open.hasBase = true
                } else if isSeparator(line), open.phase < 2 {
                    open.phase = 2
                } else if line.hasPrefix(">>>>>>>"), open.phase == 2 {
                    let hunk = ConflictHunk(ours: open.sides[0], theirs: open.sides[2], base: open.hasBase ? open.sides[1] : nil, startLine: open.start)
                    segments.append(.conflict(hunk))
                    block = nil
                    continue
                } else {
                    open.sides[open.phase] += line
                }
                block = open
            } else if line.hasPrefix("<<<<<<<") {
                if !plain.isEmpty { segments.append(.text(plain)) }
                plain = ""
                block = (start: index + 1, raw: line, sides: ["", "", ""], phase: 0, hasBase: false)
            } else {
                plain += line
            }
        }
        plain = (block?.raw ?? "") + plain
        if !plain.isEmpty { segments.append(.text(plain)) }
        return segments
    }

    /// The conflicting hunks of a file.
    public static func hunks(in text: String) -> [ConflictHunk] {
        segments(text).compactMap { if case .conflict(let hunk) = $0 { return hunk } else { return nil } }
    }

    /// The file with each conflict replaced by what `resolve` returns for it.
    public static func resolve(_ text: String, with resolve: (ConflictHunk) async throws -> String) async rethrows -> String {
        var result = ""
        for segment in segments(text) {
            switch segment {
            case .text(let plain): result += plain
            case .conflict(let hunk): result += try await resolve(hunk)
            }
        }
        return result
    }

    /// Whether any line starts like a conflict marker (`<<<<<<<`, `|||||||`, `>>>>>>>`).
    public static func containsMarkers(_ text: String) -> Bool {
        lines(text).contains { $0.hasPrefix("<<<<<<<") || $0.hasPrefix("|||||||") || $0.hasPrefix(">>>>>>>") }
    }

    /// The lines of `text`, each with its newline (the last one may lack it).
    static func lines(_ text: String) -> [String] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { String($0) + "\n" }
        if let last = lines.last {
            lines[lines.count - 1] = String(last.dropLast())
            if lines[lines.count - 1].isEmpty { lines.removeLast() }
        }
        return lines
    }

    private static func isSeparator(_ line: String) -> Bool {
        line == "=======\n" || line == "======="
    }
}
