import AgentBase
import Forge

/// Posts `/improve`'s suggestions as one review of inline comments, each a GitHub suggestion block on its line
/// (marked `<!-- switchboard:improve -->`). The suggestions of an earlier `/improve` are withdrawn first (its inline
/// comments deleted, its body saying so), so a pull request never shows two sets.
struct SuggestionReview: Sendable {
    static let marker = "<!-- switchboard:improve -->"
    let forge: any Forge

    /// Posts the suggestions on lines the pull request's diff shows (the rest are listed in the body); returns the
    /// review's URL.
    func post(_ suggestions: [PRImproveResult.Suggestion], commentable: [String: Set<Int>], to pull: (repository: RepositoryName, number: Int), headSHA: String) async throws(ForgeError) -> String? {
        for earlier in try await forge.reviews(pull.repository, number: pull.number) where earlier.body.contains(Self.marker) && !earlier.body.contains(Self.withdrawn) {
            for comment in try await forge.reviewComments(pull.repository, number: pull.number, reviewID: earlier.id) {
                try await forge.deleteReviewComment(pull.repository, commentID: comment.id)
            }
            _ = try await forge.updateReview(pull.repository, number: pull.number, reviewID: earlier.id, body: "\(Self.marker)\n\(Self.withdrawn)")
        }
        var inline: [NewReview.Comment] = []
        var elsewhere: [String] = []
        for suggestion in suggestions {
            let body = "\(suggestion.message)\n\n```suggestion\n\(suggestion.replacement)\n```"
            if commentable[suggestion.path]?.contains(suggestion.line) == true {
                inline.append(NewReview.Comment(path: suggestion.path, line: suggestion.line, body: body))
            } else {
                elsewhere.append("- `\(suggestion.path):\(suggestion.line)` \(suggestion.message): `\(suggestion.replacement)`")
            }
        }
        var lines = [Self.marker, "### Switchboard suggestions", "", "\(Plural.count(suggestions.count, "suggestion")); each applies with one click."]
        if !elsewhere.isEmpty { lines += ["", "**On lines outside the diff**", ""] + elsewhere }
        let review = NewReview(body: lines.joined(separator: "\n"), commitID: headSHA, comments: inline)
        return try await forge.createReview(pull.repository, number: pull.number, review: review).htmlURL
    }

    static let withdrawn = "_These suggestions were replaced by a later /improve._"
}
