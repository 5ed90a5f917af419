/// Where pull requests live (GitHub, later others): what PRReviewer and CodeWriter need of a forge.
public protocol Forge: Sendable {
    /// One pull request: its head and base refs and SHAs and the clone URL.
    func pullRequest(_ repository: RepositoryName, number: Int) async throws(ForgeError) -> PullRequest
    /// The files a pull request changes, every page of them.
    func pullRequestFiles(_ repository: RepositoryName, number: Int) async throws(ForgeError) -> [PullRequestFile]
    /// The reviews of a pull request, oldest first.
    func reviews(_ repository: RepositoryName, number: Int) async throws(ForgeError) -> [Review]
    /// Posts a review with a body and inline comments (`event: COMMENT`) on `commitID`.
    func createReview(_ repository: RepositoryName, number: Int, review: NewReview) async throws(ForgeError) -> Review
    /// Replaces the body of an existing review.
    func updateReview(_ repository: RepositoryName, number: Int, reviewID: Int, body: String) async throws(ForgeError) -> Review
    /// The inline comments of one review.
    func reviewComments(_ repository: RepositoryName, number: Int, reviewID: Int) async throws(ForgeError) -> [ReviewComment]
    /// Posts a comment on an issue or pull request's conversation (`POST /repos/{owner}/{repo}/issues/{n}/comments`).
    func createIssueComment(_ repository: RepositoryName, number: Int, body: String) async throws(ForgeError) -> IssueComment
    /// The comments of an issue or pull request's conversation, oldest first, every page of them.
    func issueComments(_ repository: RepositoryName, number: Int) async throws(ForgeError) -> [IssueComment]
    /// Replaces the body of a conversation comment.
    func updateIssueComment(_ repository: RepositoryName, commentID: Int, body: String) async throws(ForgeError) -> IssueComment
    /// Answers an inline review comment in its thread (`POST /repos/{owner}/{repo}/pulls/{number}/comments/{id}/replies`).
    func replyToReviewComment(_ repository: RepositoryName, number: Int, commentID: Int, body: String) async throws(ForgeError) -> ReviewComment
    /// Deletes one inline review comment.
    func deleteReviewComment(_ repository: RepositoryName, commentID: Int) async throws(ForgeError)
    /// A file's text at a ref (`GET /repos/{owner}/{repo}/contents/{path}?ref=`), `nil` when there is no such file.
    func fileContents(_ repository: RepositoryName, path: String, ref: String) async throws(ForgeError) -> String?
    /// Opens a pull request.
    func createPullRequest(_ repository: RepositoryName, _ request: NewPullRequest) async throws(ForgeError) -> PullRequest
    /// How `head` differs from `base` (`GET /repos/{owner}/{repo}/compare/{base}...{head}`): `ahead` when base is an
    /// ancestor of head, and the files changed between them.
    func compare(_ repository: RepositoryName, base: String, head: String) async throws(ForgeError) -> Comparison
    /// Changes a pull request's title and body (`PATCH /repos/{owner}/{repo}/pulls/{number}`); nil fields stay.
    func updatePullRequest(_ repository: RepositoryName, number: Int, _ update: PullRequestUpdate) async throws(ForgeError) -> PullRequest
    /// The open pull request whose head is `branch` (of `owner`, default the repository's owner), if any.
    func openPullRequest(_ repository: RepositoryName, head branch: String, owner: String?) async throws(ForgeError) -> PullRequest?
}
