import AgentBase
import GitKit

/// `/diff` as text for the chat: the diffstat of the session branch against its base, then the patch, cut at
/// `maxPatchCharacters` (the whole patch then goes to the chat as the file `fileName(branch)`).
enum SessionDiffText {
    static let maxPatchCharacters = 3_000

    static func render(_ diff: Diff, branch: String, base: String) -> String {
        guard !diff.files.isEmpty else { return "\(branch) does not differ from \(base)." }
        let stat = FileChange.diffstat(diff.files.map(FileChange.init))
        var patch = diff.patch
        if patch.count > maxPatchCharacters {
            patch = String(patch.prefix(maxPatchCharacters)) + "\n… (cut after \(maxPatchCharacters) of \(diff.patch.count) characters; the whole diff follows as \(fileName(branch)))"
        }
        return (["\(branch) against \(base): \(stat[0])"] + stat.dropFirst() + ["", patch]).joined(separator: "\n")
    }

    /// The name of the file holding the whole patch: `session-<hex>.diff`.
    static func fileName(_ branch: String) -> String {
        (branch.split(separator: "/").last.map(String.init) ?? "session") + ".diff"
    }
}
