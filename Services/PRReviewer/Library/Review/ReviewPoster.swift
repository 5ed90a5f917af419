import AgentBase
import Forge

/// Posts a review on the pull request: a new review with inline comments the first time, and the same review
/// updated (found by its hidden marker) later: replaced, its stale inline comments removed, when the PR is reviewed
/// again whole; a section added for the new commits when a push is reviewed incrementally.
struct ReviewPoster: Sendable {
    let forge: any Forge

    /// Posts and returns the review's URL.
    /// With `since` (an incremental review of a push) the review posted before keeps its body and inline comments and
    /// gets a section for the new commits.
    func post(_ report: ReviewReport, to repository: RepositoryName, number: Int, headSHA: String, since: String? = nil) async throws(ForgeError) -> String? {
        let earlier = try await forge.reviews(repository, number: number).last { GitHubReview.isSwitchboardReview(body: $0.body) }
        if let earlier, let since {
            let section = GitHubReview(report: report, commitID: headSHA, inlineComments: false, since: since)
            let updated = try await forge.updateReview(repository, number: number, reviewID: earlier.id, body: section.appending(to: earlier.body))
            return updated.htmlURL ?? earlier.htmlURL
        }
        if let earlier {
            let rendered = GitHubReview(report: report, commitID: headSHA, inlineComments: false)
            let updated = try await forge.updateReview(repository, number: number, reviewID: earlier.id, body: rendered.body)
            for comment in try await forge.reviewComments(repository, number: number, reviewID: earlier.id) {
                try await forge.deleteReviewComment(repository, commentID: comment.id)
            }
            return updated.htmlURL ?? earlier.htmlURL
        }
        let rendered = GitHubReview(report: report, commitID: headSHA)
        let review = NewReview(body: rendered.body, commitID: headSHA, comments: rendered.comments.map { NewReview.Comment(path: $0.path, line: $0.line, body: $0.body) })
        return try await forge.createReview(repository, number: number, review: review).htmlURL
    }
}
