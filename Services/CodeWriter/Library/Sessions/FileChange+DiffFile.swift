import AgentBase
import GitKit

extension FileChange {
    /// A file of a git diff, a binary one as 0 and 0 lines.
    init(_ file: DiffFile) {
        self.init(path: file.path, added: file.additions ?? 0, removed: file.deletions ?? 0)
    }
}
