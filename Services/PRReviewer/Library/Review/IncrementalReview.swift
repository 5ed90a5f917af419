import AgentBase
import Forge

/// On a push, what is new since the head the posted review covered: the files changed between that head (named in the
/// review's body by `GitHubReview.headMarker`) and the new one, when the new head descends from it. A force push
/// (the old head is not an ancestor), a review without a head, or no review at all means a whole review.
struct IncrementalReview: Sendable {
    let forge: any Forge

    /// What to review instead of the whole pull request.
    struct Increment: Sendable {
        /// The head the posted review covered.
        var since: String
        var files: [ChangedFile]
    }

    /// The increment of `pull` up to `head`, or nil for a whole review.
    func increment(of pull: (repository: RepositoryName, number: Int), head: String, pullFiles: [ChangedFile]) async throws(ForgeError) -> Increment? {
        guard let earlier = try await forge.reviews(pull.repository, number: pull.number).last(where: { GitHubReview.isSwitchboardReview(body: $0.body) }),
              let since = GitHubReview.reviewedHead(in: earlier.body), since != head else { return nil }
        let comparison = try await forge.compare(pull.repository, base: since, head: head)
        guard comparison.status == "ahead" else { return nil }
        // Only files of the pull request (a file changed and changed back is no longer part of it).
        let inPull = Set(pullFiles.map(\.path))
        var files: [ChangedFile] = []
        for file in comparison.files ?? [] {
            guard let changed = try? ChangedFile(forgePath: file.filename, status: file.status, patch: file.patch, previousPath: file.previousFilename, additions: file.additions, deletions: file.deletions),
                  inPull.contains(changed.path) else { continue }
            files.append(changed)
        }
        return Increment(since: since, files: files)
    }
}
