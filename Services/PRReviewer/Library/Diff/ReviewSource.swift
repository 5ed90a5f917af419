import AgentBase
import Forge
import Foundation
import GitKit

/// What a review is about, loaded from where it lives: a forge pull request (files and patches from the forge
/// API) or two refs of any git repository (the diff from git), with the reviewed repository's `.switchboard.yml` as
/// the base has it: the change under review never configures its own review (it could turn the rules off).
struct ReviewSource: Sendable {
    var files: [ChangedFile]
    var configText: String?
    /// The head commit reviewed.
    var headSHA: String
    var title: String?
    var description: String?
    /// The pull request, when the review can be posted there.
    var pullRequest: (repository: RepositoryName, number: Int)?

    /// Files of a forge pull request, and `.switchboard.yml` at its base commit.
    static func pullRequest(_ repo: String, number: Int, forge: any Forge, policy: RepositoryPolicy) async throws -> ReviewSource {
        guard let repository = RepositoryName(repo) else {
            throw AgentError.permanent("'\(repo)' is not owner/name", code: "invalid_request")
        }
        try policy.check(repo)
        let pull = try await forge.pullRequest(repository, number: number)
        var files: [ChangedFile] = []
        for file in try await forge.pullRequestFiles(repository, number: number) {
            files.append(try ChangedFile(forgePath: file.filename, status: file.status, patch: file.patch, previousPath: file.previousFilename, additions: file.additions, deletions: file.deletions))
        }
        let config = try await forge.fileContents(repository, path: RepositoryConfig.fileName, ref: pull.base.sha)
        return ReviewSource(files: files, configText: config, headSHA: pull.head.sha, title: pull.title, description: pull.body, pullRequest: (repository, number))
    }

    /// The diff `base...head` of a repository and its `.switchboard.yml` at `base`.
    static func refs(_ url: String, base: String, head: String, git: GitServices, context: TaskContext) async throws -> ReviewSource {
        let repository = try git.workspace.repository(url)
        return try await git.locks.withLock(repository) {
            await context.progress("fetching \(repository)", percent: 5)
            let mirror = try await git.workspace.mirror(repository)
            let headSHA = try await mirror.commit(head)
            let baseSHA = try await mirror.commit(base)
            let diff = try await mirror.diff(base: base, head: head)
            let files = try UnifiedDiff.parse(diff.patch)
            // Absent is normal; any other git failure must not silently drop the repository's settings.
            let present = try await !mirror.run(["ls-tree", "--name-only", baseSHA, "--", RepositoryConfig.fileName]).isEmpty
            let config = present ? try await mirror.run(["show", "\(baseSHA):\(RepositoryConfig.fileName)"]) : nil
            return ReviewSource(files: files, configText: config, headSHA: headSHA, title: nil, description: nil, pullRequest: nil)
        }
    }
}
