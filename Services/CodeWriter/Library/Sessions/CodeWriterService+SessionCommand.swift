import AgentBase
import Forge
import Foundation
import GitKit

extension CodeWriterService {
    /// `session.command` under the repository's lock: `diff` answers the session branch against its base as text (and,
    /// when the patch is too long for a message, the whole patch as a file);
    /// `undo` reverts the newest turn commit on the branch that no later commit reverts (one commit, git's revert
    /// message, the requester as co-author, the task's trailer) and pushes it, idempotent by task id as turns are;
    /// `pr` opens the pull request of the branch into base on the forge (only an allowed repository), its body listing
    /// the session's turns, or brings the open one's body up to date with the turns (and its title, when given).
    func command(_ request: SessionCommandRequest, _ context: TaskContext) async throws -> SessionCommandResult {
        let (conversation, branch) = try Self.session(of: context)
        let repository = try await WriteStep.clone.run { try workspace.repository(request.repoURL) }
        return try await WriteStep.clone.run {
            try await locks.withLock(repository) {
                let mirror = try await workspace.mirror(repository)
                guard let head = try await mirror.branchCommit(branch) else {
                    return SessionCommandResult(reply: "No turn has committed anything yet: \(branch) does not exist.", branch: branch)
                }
                let base = try await mirror.commit(request.base)
                switch request.command {
                case .diff:
                    let diff = try await mirror.diff(base: base, head: head)
                    var result = SessionCommandResult(reply: SessionDiffText.render(diff, branch: branch, base: request.base), branch: branch)
                    if diff.patch.count > SessionDiffText.maxPatchCharacters {
                        result.files = try await store([OutgoingFile(name: SessionDiffText.fileName(branch), content: diff.patch)])
                    }
                    return result
                case .undo:
                    return try await undo(request, branch: branch, base: base, head: head, mirror: mirror, repository: repository, context: context)
                case .pr:
                    return try await openPullRequest(request, branch: branch, conversation: conversation, repository: repository)
                }
            }
        }
    }

    private func undo(_ request: SessionCommandRequest, branch: String, base: String, head: String, mirror: Mirror, repository: RepositoryURL, context: TaskContext) async throws -> SessionCommandResult {
        guard let target = try await Self.lastTurnCommit(mirror, base: base, head: head) else {
            return SessionCommandResult(reply: "Nothing to undo: every turn commit on \(branch) is reverted already.", branch: branch)
        }
        let text = ChangeText(undo: target.subject, commit: target.commit, task: context.task, requester: request.requester)
        let change = BranchChange(base: request.base, branch: branch, text: text, testCommand: nil, emptyFailure: nil)
        let (pushed, _) = try await pushBranch(change, repository: repository, context: context) { worktree in
            _ = try await WriteStep.commit.run { try await worktree.run(["revert", "--no-commit", target.commit]) }
            return nil
        }
        if pushed.reused { return SessionCommandResult(reply: "Undone already: \(branch) is at \(pushed.commit.prefix(12)).", branch: branch, commit: pushed.commit) }
        if pushed.unchanged { return SessionCommandResult(reply: "Reverting \(target.commit.prefix(12)) \"\(target.subject)\" changes nothing.", branch: branch) }
        return SessionCommandResult(reply: "Undid \(target.commit.prefix(12)) \"\(target.subject)\": reverted in \(pushed.commit.prefix(12)) and pushed to \(branch).", branch: branch, commit: pushed.commit)
    }

    private func openPullRequest(_ request: SessionCommandRequest, branch: String, conversation: String, repository: RepositoryURL) async throws -> SessionCommandResult {
        let name = try ForgeRepository.name(repo: request.repo, repoURL: repository.url)
        do {
            try workspace.git.configuration.policy.check(name.description)
        } catch {
            throw error.agentError
        }
        let turns = try await sessions.turns(conversation)
        let new = NewPullRequest(
            title: request.title ?? SessionPullRequestText.title(turns: turns, branch: branch), head: branch, base: request.base,
            body: SessionPullRequestText.body(turns: turns, branch: branch)
        )
        // An open pull request gets the body of the turns so far (and the title, when one is given).
        let update = PullRequestUpdate(title: request.title, body: new.body)
        let (url, existed) = try await WriteStep.pr.run { try await pullRequest(in: name, new, updating: update) }
        let verb = existed ? "updated (its description now lists \(turns.count) turn\(turns.count == 1 ? "" : "s"))" : "opened"
        return SessionCommandResult(reply: "Pull request of \(branch) into \(request.base) \(verb): \(url)", branch: branch, prURL: url)
    }

    /// The newest commit between `base` and `head` that a turn made (it carries the task trailer, and is no revert)
    /// and that no later commit reverts (git's `This reverts commit <sha>.` line).
    static func lastTurnCommit(_ mirror: Mirror, base: String, head: String) async throws -> (commit: String, subject: String)? {
        let log = try await mirror.run(["log", "--format=%H%x1f%s%x1f%B%x1e", "\(base)..\(head)"])
        var reverted: Set<String> = []
        for record in log.split(separator: "\u{1e}") {
            let parts = record.split(separator: "\u{1f}", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 3 else { continue }
            let commit = parts[0].trimmingCharacters(in: .whitespacesAndNewlines)
            let reverts = parts[2].split(separator: "\n").compactMap { line in
                line.hasPrefix("This reverts commit ") ? String(line.dropFirst("This reverts commit ".count).prefix { $0.isHexDigit }) : nil
            }
            if !reverts.isEmpty {
                reverted.formUnion(reverts)
            } else if !reverted.contains(commit), parts[2].contains("\(ChangeText.trailer): ") {
                return (commit, parts[1])
            }
        }
        return nil
    }
}
