/// Splits reviewed files into chunks under a character budget for the model: whole files where they fit,
/// else hunk by hunk, and a hunk larger than the budget in slices of lines (each slice repeats the hunk header).
public struct DiffChunker: Sendable {
    /// Characters per chunk at the most, 200 or more (a single line longer than a chunk is cut).
    public var budget: Int

    public init(budget: Int = 24_000) {
        self.budget = max(budget, 200)
    }

    public func chunks(_ files: [ChangedFile]) -> [DiffChunk] {
        var chunks: [DiffChunk] = []
        var current = DiffChunk()
        for file in files where !file.hunks.isEmpty {
            let header = Self.fileHeader(file)
            for piece in pieces(of: file, header: header) {
                let needsHeader = current.lines[file.path] == nil
                let size = piece.text.count + (needsHeader ? header.count : 0)
                if !current.text.isEmpty, current.text.count + size > budget {
                    chunks.append(current)
                    current = DiffChunk()
                }
                if current.lines[file.path] == nil { current.text += header }
                current.text += piece.text
                current.lines[file.path, default: []].formUnion(piece.lines)
            }
        }
        if !current.text.isEmpty { chunks.append(current) }
        return chunks
    }

    /// `--- path (renamed from old)` and a line break.
    static func fileHeader(_ file: ChangedFile) -> String {
        let rename = file.previousPath.map { ", from \($0)" } ?? ""
        return "--- \(file.path) (\(file.status.rawValue)\(rename))\n"
    }

    /// A hunk line with its new-file number in a column: `  42 +text`; removed lines have no number.
    static func render(_ line: DiffLine) -> String {
        let number = line.newLine.map(String.init) ?? ""
        let sign = switch line.kind {
        case .added: "+"
        case .removed: "-"
        case .context: " "
        }
        return String(repeating: " ", count: max(0, 5 - number.count)) + number + " " + sign + line.text + "\n"
    }

    private func pieces(of file: ChangedFile, header: String) -> [(text: String, lines: Set<Int>)] {
        let room = budget - header.count
        var pieces: [(text: String, lines: Set<Int>)] = []
        for hunk in file.hunks {
            let hunkHeader = hunk.header + "\n"
            var text = hunkHeader
            var lines: Set<Int> = []
            for line in hunk.lines {
                var rendered = Self.render(line)
                if hunkHeader.count + rendered.count > room { rendered = String(rendered.prefix(room - hunkHeader.count - 2)) + "…\n" }
                if text.count + rendered.count > room, text != hunkHeader {
                    pieces.append((text, lines))
                    text = hunkHeader
                    lines = []
                }
                text += rendered
                if line.kind != .removed, let number = line.newLine { lines.insert(number) }
            }
            pieces.append((text, lines))
        }
        return pieces
    }
}
