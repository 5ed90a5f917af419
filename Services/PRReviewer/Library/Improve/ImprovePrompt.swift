/// The text of one model request for `/improve`: concrete replacements of single lines, as strict JSON.
struct ImprovePrompt: Sendable, Hashable {
    static let system = """
    You suggest concrete improvements to the code a pull request adds. Suggest only changes that fix a bug, a \
    security problem, broken error handling or a clear inefficiency — never style a formatter settles, never praise. \
    Each suggestion replaces exactly one added or context line with a new line (keep its indentation).
    Each diff line starts with its line number in the new file (removed lines have none), then +, - or a space.
    Answer with one JSON object and nothing else, no Markdown fence:
    {"summary": "<one sentence>", "findings": [{"path": "<file path as shown>", "line": <new-file line number>, "severity": "error" | "warning" | "info", "message": "<why>", "replacement": "<the whole new line>"}]}
    Use an empty findings list when there is nothing worth changing.
    """

    var system: String { Self.system }
    var user: String

    init(chunk: DiffChunk, title: String?) {
        var text = ""
        if let title, !title.isEmpty { text += "Pull request: \(title)\n" }
        text += "Files: \(chunk.paths.joined(separator: ", "))\n\n\(chunk.text)"
        user = text
    }
}
