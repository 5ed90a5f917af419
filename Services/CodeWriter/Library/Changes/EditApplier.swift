import AgentBase
import GitKit

/// Applies a request's explicit edits in order: whole files are written and staged, unified diffs applied strictly
/// (`git apply --check`, then `--index`). The first edit that cannot be applied fails the task with `apply_failed`,
/// naming the edit, the file and, for a patch, the hunk; a path into `.git` or out of the work tree fails it with
/// `forbidden_path` before anything is written.
enum EditApplier {
    static func apply(_ edits: [CodeEdit], in worktree: Worktree) async throws {
        for (index, edit) in edits.enumerated() {
            let label = "edit \(index + 1) of \(edits.count)"
            let kind: CodeEdit.Kind
            do {
                kind = try edit.kind
            } catch {
                throw WriteStep.apply.failure("\(label): \(error.message)")
            }
            switch kind {
            case .file(let path, let content):
                do {
                    try await worktree.write(path, content)
                    try await worktree.stage([path])
                } catch .unsafePath(let refused, let reason) {
                    throw AgentError.permanent("\(label): refused path '\(refused)': \(reason)", code: "forbidden_path")
                } catch {
                    throw WriteStep.apply.failure("\(label) (\(path)): \(error)")
                }
            case .patch(let patch):
                do {
                    try await worktree.apply(patch: patch)
                } catch .patchDoesNotApply(let detail) {
                    throw WriteStep.apply.failure("\(label): \(PatchFailure.describe(detail, patch: patch))")
                } catch {
                    throw WriteStep.apply.failure("\(label): \(error)")
                }
            }
        }
    }
}
