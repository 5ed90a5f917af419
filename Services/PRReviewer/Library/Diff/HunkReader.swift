/// Reads `@@` hunks from diff lines, numbering each line in the old and the new file.
struct HunkReader {
    let lines: [Substring]
    /// The next line to read.
    var index = 0

    init(lines: [Substring], index: Int = 0) {
        self.lines = lines
        self.index = index
    }

    /// The line at the cursor when it is not blank, for error messages.
    var remainingLine: Substring? {
        guard index < lines.count, !lines[index].isEmpty else { return nil }
        return lines[index]
    }

    /// Reads consecutive hunks starting at the cursor.
    mutating func readHunks() throws(DiffParseError) -> [DiffHunk] {
        var hunks: [DiffHunk] = []
        while index < lines.count, lines[index].hasPrefix("@@ ") {
            hunks.append(try readHunk())
        }
        return hunks
    }

    private mutating func readHunk() throws(DiffParseError) -> DiffHunk {
        let headerLine = index + 1
        guard let match = lines[index].wholeMatch(of: /@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@ ?(.*)/),
              let oldStart = Int(match.1), let newStart = Int(match.3) else {
            throw DiffParseError(line: headerLine, message: "malformed hunk header '\(lines[index].prefix(60))'; expected '@@ -a,b +c,d @@'")
        }
        let oldCount = match.2.flatMap { Int($0) } ?? 1
        let newCount = match.4.flatMap { Int($0) } ?? 1
        var hunk = DiffHunk(oldStart: oldStart, oldCount: oldCount, newStart: newStart, newCount: newCount, section: String(match.5))
        var oldLine = oldStart, newLine = newStart
        var oldLeft = oldCount, newLeft = newCount
        index += 1
        while oldLeft > 0 || newLeft > 0 || (index < lines.count && lines[index].hasPrefix("\\")) {
            guard index < lines.count else {
                throw DiffParseError(line: index, message: "the hunk starting at line \(headerLine) ends early: \(oldLeft) old and \(newLeft) new lines are missing")
            }
            let line = lines[index]
            let text = String(line.dropFirst())
            switch line.first {
            case "+" where newLeft > 0:
                hunk.lines.append(DiffLine(kind: .added, text: text, oldLine: nil, newLine: newLine))
                newLine += 1
                newLeft -= 1
            case "-" where oldLeft > 0:
                hunk.lines.append(DiffLine(kind: .removed, text: text, oldLine: oldLine, newLine: nil))
                oldLine += 1
                oldLeft -= 1
            case " " where oldLeft > 0 && newLeft > 0, nil where oldLeft > 0 && newLeft > 0:
                hunk.lines.append(DiffLine(kind: .context, text: text, oldLine: oldLine, newLine: newLine))
                oldLine += 1
                newLine += 1
                oldLeft -= 1
                newLeft -= 1
            case "\\" where !hunk.lines.isEmpty:
                hunk.lines[hunk.lines.count - 1].missingNewline = true
            default:
                throw DiffParseError(line: index + 1, message: "'\(line.prefix(60))' does not fit the hunk starting at line \(headerLine) (\(oldLeft) old and \(newLeft) new lines still expected)")
            }
            index += 1
        }
        return hunk
    }
}
