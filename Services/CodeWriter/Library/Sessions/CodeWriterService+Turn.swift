import AgentBase
import Foundation
import GitKit

extension CodeWriterService {
    /// `session.turn`: one turn of a coding session on its branch `SessionBranch.name(conversation:)`, created from
    /// `base` on the first turn and continued on every later one. Under the repository's lock (one turn of a session at a
    /// time, across replicas) the model loop runs in a work tree of the branch with the session's earlier turns and the
    /// repository's instruction files; what it changed becomes one commit (the turn's text as message, the requester
    /// as co-author, the task's trailer), pushed. Idempotent by task id as `code.write` is: a redelivered turn whose
    /// commit the branch holds already is answered without a second commit. Without a model it answers what to do.
    func turn(_ request: SessionTurnRequest, _ context: TaskContext) async throws -> SessionTurnResult {
        let (conversation, branch) = try Self.session(of: context)
        guard hasModel else { return SessionTurnResult(reply: SessionPrompt.noModel, branch: branch) }
        let repository = try await WriteStep.clone.run { try workspace.repository(request.repoURL) }
        // One work tree path per session, so the Claude CLI's session (kept per directory) is found again next turn.
        let name = GitWorkspace.safeName(branch)
        let change = BranchChange(base: request.base, branch: branch, text: ChangeText(turn: request, task: context.task), testCommand: nil, emptyFailure: nil, worktree: name)
        return try await WriteStep.clone.run {
            try await locks.withLock(repository) {
                let earlier = try await sessions.turns(conversation)
                let attachments = try await WriteStep.clone.run {
                    try await TurnAttachmentFolder.make(request.attachments ?? [], store: files, workspace: workspace.root, task: context.task)
                }
                defer { attachments?.remove() }
                let (pushed, mirror) = try await pushBranch(change, repository: repository, context: context) { worktree in
                    let system = SessionPrompt.system(instructions: await SessionPrompt.instructions(in: worktree))
                    let tools = WorktreeTools(worktree: worktree, testCommand: nil, attachments: attachments, sendsFiles: true)
                    return try await WriteStep.model.run {
                        try await CodingLoop(model: model, limits: limits).run(
                            system: system, opening: SessionPrompt.opening(request, earlier: earlier, attachments: attachments), tools: tools, context: context,
                            resume: ProviderSession(id: earlier.last(where: { $0.providerSession != nil })?.providerSession, stateDirectory: workspace.root.appendingPathComponent("provider-sessions/\(name)").path)
                        )
                    }
                }
                let commit = pushed.unchanged ? nil : pushed.commit
                var result = SessionTurnResult(reply: reply(pushed, earlier: earlier, task: context.task), branch: branch, commit: commit, tests: pushed.tests)
                result.files = try await store(pushed.files)
                if let commit {
                    let files = try await WriteStep.commit.run { try await mirror.diff(base: "\(commit)^", head: commit).files }
                    result.filesChanged = files.map(FileChange.init)
                    result.compareURL = ForgeRepository.compareURL(repository.url, forgeURL: workspace.git.configuration.policy.forgeURL, base: request.base, head: branch)
                }
                try await sessions.record(SessionHistory.Turn(task: context.task, text: request.text, reply: result.reply, commit: commit, providerSession: pushed.session), in: conversation, after: earlier)
                return result
            }
        }
    }

    /// Keeps the files the model handed back in the file store for the task's time; nil when there are none.
    func store(_ outgoing: [OutgoingFile]) async throws -> [StoredFile]? {
        guard !outgoing.isEmpty else { return nil }
        var stored: [StoredFile] = []
        for file in outgoing {
            let mediaType = FileKind.mediaType(ofName: file.name).flatMap { FileKind.isText($0) ? $0 : nil } ?? "text/plain"
            stored.append(try await files.put(Array(file.content.utf8), name: file.name, mediaType: mediaType, ttl: filesTTL))
        }
        return stored
    }

    /// The conversation a session task belongs to and its branch; `invalid_request` without the envelope's conversation.
    static func session(of context: TaskContext) throws(AgentError) -> (conversation: String, branch: String) {
        guard let conversation = context.envelope.conversation, !conversation.isEmpty else {
            throw .permanent("\(context.envelope.type) needs the envelope's conversation field: it names the session and its branch", code: "invalid_request")
        }
        return (conversation, SessionBranch.name(conversation: conversation))
    }

    /// The model's summary (and why it stopped early); for a redelivered turn, what the first delivery answered.
    private func reply(_ pushed: Pushed, earlier: [SessionHistory.Turn], task: String) -> String {
        if pushed.reused {
            return earlier.last { $0.task == task }?.reply ?? "This turn had been run already: its commit \(pushed.commit.prefix(12)) is on the branch."
        }
        let parts = [pushed.summary ?? "", pushed.stopped.map { "⚠️ Stopped early: \($0)" } ?? ""].filter { !$0.isEmpty }
        return parts.isEmpty ? "Done." : parts.joined(separator: "\n\n")
    }
}
