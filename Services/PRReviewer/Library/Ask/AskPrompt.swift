/// What the model is asked for a question about a pull request: the title, description, question and the riskiest
/// part of the diff that fits one chunk, with the files left out named.
struct AskPrompt: Sendable {
    let system = """
    You answer questions about a pull request from its diff. Answer briefly and concretely, naming files and lines \
    where it helps. When the diff does not show the answer, say so. Plain text, no preamble.
    """
    let user: String

    init(question: String, title: String?, description: String?, chunk: DiffChunk, leftOut: [String], line: (path: String, number: Int)? = nil) {
        var parts: [String] = []
        if let title, !title.isEmpty { parts.append("Pull request: \(title)") }
        if let description, !description.isEmpty { parts.append("Description:\n\(description)") }
        if let line { parts.append("The question is asked on \(line.path) line \(line.number) (in a review comment there).") }
        parts.append("Question: \(question)")
        parts.append("Diff (new-file line numbers in the first column):\n\(chunk.text)")
        if !leftOut.isEmpty { parts.append("Files not shown (over the budget): \(leftOut.prefix(30).joined(separator: ", "))") }
        user = parts.joined(separator: "\n\n")
    }
}
