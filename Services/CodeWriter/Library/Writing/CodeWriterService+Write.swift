import AgentBase
import Forge
import GitKit
import Sandboxing

extension CodeWriterService {
    /// `code.write`: the branch, the change, the tests, the push and the pull request, in that order.
    ///
    /// Idempotent by task id: the commit carries the trailer `Switchboard-Task: <task>`, so a retry that finds the
    /// branch on the remote with that commit reuses it (nothing is committed or pushed twice), and the pull request is
    /// looked up by its head branch before one is opened. Failing tests still push the branch (for inspection) but
    /// open no pull request; the result says so in `note`.
    func write(_ request: CodeWriteRequest, _ context: TaskContext) async throws -> CodeWriteResult {
        guard request.edits != nil || hasModel else {
            throw AgentError.permanent(
                "code.write needs a model to turn a spec into changes and none is configured (LLM_PROVIDER=offline): set LLM_PROVIDER to anthropic, openai or claude-cli, or pass the change as edits ([{path, content}] or [{patch}])",
                code: "model_failed"
            )
        }
        let repository = try await WriteStep.clone.run { try workspace.repository(request.repoURL) }
        var forgeRepository: RepositoryName?
        if request.openPR {
            let name = try ForgeRepository.name(repo: request.repo, repoURL: repository.url)
            do {
                try workspace.git.configuration.policy.check(name.description)
            } catch {
                throw error.agentError
            }
            forgeRepository = name
        }
        let branch = request.branch ?? BranchName.make(task: context.task, spec: request.spec)
        let text = ChangeText(request: request, task: context.task)
        let change = BranchChange(
            base: request.base, branch: branch, text: text, testCommand: request.testCommand,
            emptyFailure: request.edits == nil ? (.model, "the model made no change to the repository") : (.apply, "the edits change nothing in \(request.base)")
        )
        let (pushed, _) = try await WriteStep.clone.run {
            try await locks.withLock(repository) {
                try await pushBranch(change, repository: repository, context: context) { worktree in
                    if let edits = request.edits {
                        await context.progress("applying \(edits.count) edit\(edits.count == 1 ? "" : "s")", percent: 20)
                        try await EditApplier.apply(edits, in: worktree)
                        return nil
                    }
                    let tools = WorktreeTools(worktree: worktree, testCommand: request.testCommand)
                    return try await WriteStep.model.run {
                        try await CodingLoop(model: model, limits: limits).run(
                            system: LoopPrompt.system(testCommand: request.testCommand), opening: LoopPrompt.task(spec: request.spec), tools: tools, context: context)
                    }
                }
            }
        }
        var result = CodeWriteResult(branch: branch, commit: pushed.commit, tests: pushed.tests)
        var notes = pushed.stopped.map { [$0] } ?? []
        if pushed.unchanged { notes.append("nothing to change: \(branch) stays at \(pushed.commit.prefix(12))") }
        let testsFailed = pushed.tests?.passed == false
        if testsFailed { notes.append("the tests failed: the branch was pushed for inspection") }
        if let forgeRepository {
            if testsFailed || pushed.stopped != nil {
                notes.append("no pull request was opened")
            } else {
                await context.progress("opening a pull request in \(forgeRepository)", percent: 92)
                let body = text.pullRequestBody(summary: pushed.summary, tests: pushed.tests, testCommand: request.testCommand)
                result.prURL = try await WriteStep.pr.run {
                    try await pullRequest(in: forgeRepository, NewPullRequest(title: text.title, head: branch, base: request.base, body: body, draft: request.draft ?? false))
                }
            }
        }
        result.note = notes.isEmpty ? nil : notes.joined(separator: "; ")
        return result
    }

    /// What the locked part of a task leaves: the pushed commit, the tests of it, and how the model loop ended.
    struct Pushed: Sendable {
        var commit: String
        var tests: TestRunReport?
        var summary: String?
        var stopped: String?
        /// Files the model handed back for the person.
        var files: [OutgoingFile] = []
        /// The provider's own conversation (claude-cli), to resume next turn.
        var session: String?
        /// Nothing was committed: a follow-up on an existing branch, or a change allowed to be empty, changed nothing
        /// (the branch was left as it was, or not created).
        var unchanged = false
        /// A redelivered task whose commit the branch holds already: nothing was made again.
        var reused = false
    }

    /// One change to push: the ref a new branch starts from, the branch, the words of the commit (with the task's
    /// trailer), the test command, and the failure when a new branch would get no change (`nil`: push nothing).
    struct BranchChange: Sendable {
        var base: String
        var branch: String
        var text: ChangeText
        var testCommand: [String]?
        var emptyFailure: (step: WriteStep, reason: String)?
        /// The work tree's name when it must stay the same from task to task (a session's turns, so that the Claude
        /// CLI finds its session for the same directory); the task id otherwise.
        var worktree: String?
    }

    /// Under the repository's lock: fetch, reuse this task's branch when a retry finds it; else make the change with
    /// `make` in a fresh work tree of `base` (a new branch) or, when the branch already exists, on top of it (a
    /// follow-up, as the orchestrator's fix rounds and a session's turns send), test, commit and push (a new branch only
    /// created, an existing one only moved forward from the head it had). The commit holds what the change staged
    /// (edits and the model's `write_file`s), never what the test command left in the work tree. A follow-up that
    /// changes nothing leaves the branch as it is. `make` returns how the model loop ended, when it ran one.
    func pushBranch(_ change: BranchChange, repository: RepositoryURL, context: TaskContext,
                    make: (Worktree) async throws -> CodingLoop.Outcome?) async throws -> (pushed: Pushed, mirror: Mirror) {
        let branch = change.branch
        await context.progress("fetching \(repository)", percent: 5)
        let mirror = try await WriteStep.clone.run { try await workspace.mirror(repository) }
        let base = try await WriteStep.clone.run { try await mirror.commit(change.base) }
        do {
            try await mirror.checkBranchName(branch)
        } catch {
            throw AgentError.permanent("\(error)", code: "invalid_request")
        }
        let existing = try await WriteStep.clone.run { try await mirror.branchCommit(branch) }
        if let existing, change.text.isOurs(try await WriteStep.clone.run { try await mirror.run(["log", "-1", "--format=%B", existing]) }) {
            await context.progress("\(branch) already holds this task's commit; reusing it", percent: 60)
            var reused = Pushed(commit: existing, reused: true)
            if let argv = change.testCommand {
                reused.tests = try await workspace.withWorktree(mirror, task: context.task, at: existing) { worktree in try await runTests(argv, in: worktree, context) }
            }
            return (reused, mirror)
        }
        if existing != nil { await context.progress("\(branch) exists: working on top of it", percent: 15) }
        let pushed = try await workspace.withWorktree(mirror, task: change.worktree ?? context.task, at: existing ?? base) { worktree in
            var pushed = Pushed(commit: existing ?? base)
            if let outcome = try await make(worktree) {
                pushed.summary = outcome.summary
                pushed.stopped = outcome.stopped
                pushed.tests = outcome.tests
                pushed.files = outcome.files
                pushed.session = outcome.session
            }
            if pushed.tests == nil, let argv = change.testCommand {
                pushed.tests = try await runTests(argv, in: worktree, context)
            }
            let staged = try await WriteStep.commit.run { try await worktree.run(["diff", "--cached", "--name-only"]) }
            if staged.isEmpty, existing != nil || change.emptyFailure == nil {
                pushed.unchanged = true
                return pushed
            }
            let commit = try await WriteStep.commit.run {
                if staged.isEmpty, let failure = change.emptyFailure {
                    throw failure.step.failure(failure.reason + (pushed.stopped.map { ": \($0)" } ?? ""))
                }
                return try await worktree.commit(message: change.text.commitMessage)
            }
            await context.progress("pushing \(branch)", percent: 85)
            // The lease: a new branch is only created (never overwriting one that appeared meanwhile), an existing one
            // only moved from the head this change was made on.
            try await WriteStep.push.run { try await mirror.push(["\(commit):refs/heads/\(branch)"], leases: ["refs/heads/\(branch)": existing ?? ""]) }
            pushed.commit = commit
            return pushed
        }
        return (pushed, mirror)
    }

    func runTests(_ argv: [String], in worktree: Worktree, _ context: TaskContext) async throws(SandboxError) -> TestRunReport {
        await context.progress("running \(argv.joined(separator: " "))", percent: 70)
        return try await worktree.runTests(argv)
    }

    /// The open pull request of `head`, else a new one. A create GitHub refuses with 422 (`A pull request already
    /// exists`, when the answer to an earlier create was lost) finds the existing one.
    func pullRequest(in repository: RepositoryName, _ new: NewPullRequest) async throws -> String {
        try await pullRequest(in: repository, new, updating: nil).url
    }

    /// Opens the pull request of `new.head`, or finds the open one and, with `updating`, applies it; answers its URL
    /// and whether it was open already.
    func pullRequest(in repository: RepositoryName, _ new: NewPullRequest, updating: PullRequestUpdate?) async throws -> (url: String, existed: Bool) {
        if let open = try await forge.openPullRequest(repository, head: new.head, owner: nil) {
            if let updating { _ = try await forge.updatePullRequest(repository, number: open.number, updating) }
            return (open.htmlURL, true)
        }
        do {
            return (try await forge.createPullRequest(repository, new).htmlURL, false)
        } catch let error where error.status == 422 {
            guard let open = try await forge.openPullRequest(repository, head: new.head, owner: nil) else { throw error }
            if let updating { _ = try await forge.updatePullRequest(repository, number: open.number, updating) }
            return (open.htmlURL, true)
        }
    }
}

extension ForgeError {
    /// The HTTP status the forge answered with, if it answered.
    var status: Int? {
        if case .http(let status, _, _) = self { return status }
        return nil
    }
}
