/// The text of one model request for a chunk of the diff, asking for a strict JSON answer.
public struct ReviewPrompt: Sendable, Hashable {
    /// Instructions for the model: what to look for and the exact answer format.
    public static let system = """
    You review code changes in a pull request. Report real problems only: bugs, security issues, data loss, \
    race conditions, broken error handling, misleading names or comments. Do not comment on style that a formatter \
    settles, and do not praise.
    Each diff line starts with its line number in the new file (removed lines have none), then +, - or a space.
    Answer with one JSON object and nothing else, no Markdown fence:
    {"summary": "<two sentences on the change as a whole>", "findings": [{"path": "<file path as shown>", "line": <new-file line number of a + or context line shown>, "severity": "error" | "warning" | "info", "message": "<what is wrong and what to do>"}]}
    Use an empty findings list when nothing is wrong.
    """

    public var system: String
    public var user: String

    /// The request for `chunk`, part `part` of `total`, with the pull request's title and description when known.
    public init(chunk: DiffChunk, part: Int = 1, of total: Int = 1, title: String? = nil, description: String? = nil) {
        system = Self.system
        var text = ""
        if let title, !title.isEmpty { text += "Pull request: \(title)\n" }
        if let description, !description.isEmpty { text += "Description:\n\(description)\n" }
        if total > 1 { text += "This is part \(part) of \(total) of the diff.\n" }
        text += "Files: \(chunk.paths.joined(separator: ", "))\n\n\(chunk.text)"
        user = text
    }
}
