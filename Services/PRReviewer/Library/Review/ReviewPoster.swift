import AgentBase
import Forge

/// Posts a review on the pull request: a new review with inline comments the first time, and the same review
/// updated (found by its hidden marker; its stale inline comments removed) when the PR is reviewed again.
struct ReviewPoster: Sendable {
    let forge: any Forge

    /// Posts and returns the review's URL.
    func post(_ report: ReviewReport, to repository: RepositoryName, number: Int, headSHA: String) async throws(ForgeError) -> String? {
        let earlier = try await forge.reviews(repository, number: number).last { GitHubReview.isSwitchboardReview(body: $0.body) }
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
