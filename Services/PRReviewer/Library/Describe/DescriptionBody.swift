import Foundation

/// The pull request body `/describe` writes with `into_body`: Switchboard's description, then the author's own text
/// folded below it between markers, so that describing again replaces only Switchboard's part.
enum DescriptionBody {
    static let authorStart = "<!-- switchboard:author -->"
    static let authorEnd = "<!-- /switchboard:author -->"

    /// `description` above the author's text of `existing` (the whole of it, or what an earlier describe kept).
    static func merged(_ description: String, into existing: String?) -> String {
        let author = authorText(of: existing ?? "")
        guard !author.isEmpty else { return description }
        return description + "\n<details><summary>The author's description</summary>\n\n" + authorStart + "\n" + author + "\n" + authorEnd + "\n\n</details>\n"
    }

    /// The author's part of a body: between the markers when Switchboard wrote the body before, else all of it.
    static func authorText(of body: String) -> String {
        if let start = body.range(of: authorStart), let end = body.range(of: authorEnd, range: start.upperBound..<body.endIndex) {
            return body[start.upperBound..<end.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines)
        }
        if body.contains(PullRequestDescriber.marker) { return "" }
        return body.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
