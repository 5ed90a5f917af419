/// One file of a change, from `git diff` output or a forge's per-file patch: where it is, how it changed and its hunks.
public struct ChangedFile: Sendable, Hashable {
    /// Path in the new tree (in the old tree for a removed file), relative to the repository root.
    public var path: String
    /// Path before a rename or copy.
    public var previousPath: String?
    public var status: FileStatus
    /// Git reported the file as binary: no hunks to read.
    public var isBinary: Bool
    public var hunks: [DiffHunk]
    /// Lines added, as counted by the source (the hunks, or the forge when it sent no patch).
    public var additions: Int
    /// Lines removed, as counted by the source.
    public var deletions: Int

    /// A file with these hunks; additions and deletions are counted from them unless given.
    public init(path: String, previousPath: String? = nil, status: FileStatus = .modified, isBinary: Bool = false, hunks: [DiffHunk] = [], additions: Int? = nil, deletions: Int? = nil) {
        self.path = path
        self.previousPath = previousPath
        self.status = status
        self.isBinary = isBinary
        self.hunks = hunks
        let lines = hunks.lazy.flatMap(\.lines)
        self.additions = additions ?? lines.filter { $0.kind == .added }.count
        self.deletions = deletions ?? lines.filter { $0.kind == .removed }.count
    }

    /// A file from a forge's pull request files list (GitHub's `filename`, `status`, `patch`, `previous_filename`, `additions`, `deletions`).
    /// GitHub sends no `patch` for binary files (then nothing changed by lines), for pure renames and copies, and for very large diffs
    /// (then `additions`/`deletions` say how much).
    public init(forgePath path: String, status: String, patch: String?, previousPath: String? = nil, additions: Int = 0, deletions: Int = 0) throws(DiffParseError) {
        let status = FileStatus(forge: status)
        guard let patch else {
            let binary = additions + deletions == 0 && status != .renamed && status != .copied
            self.init(path: path, previousPath: previousPath, status: status, isBinary: binary, additions: additions, deletions: deletions)
            return
        }
        self.init(path: path, previousPath: previousPath, status: status, hunks: try UnifiedDiff.parseHunks(patch))
    }

    /// Lines added by the change, each with its line number in the new file.
    public var addedLines: [DiffLine] {
        hunks.flatMap { $0.lines.filter { $0.kind == .added } }
    }

    /// New-file line numbers that are in the diff on the right side (added or context): the lines an inline comment may point at.
    public var rightSideLines: Set<Int> {
        Set(hunks.lazy.flatMap(\.lines).compactMap(\.newLine))
    }

    /// Lines added plus lines removed.
    public var changedLines: Int { additions + deletions }

    /// The forge has lines for this file but sent no patch (a diff too large for it to show).
    public var isMissingPatch: Bool { !isBinary && hunks.isEmpty && changedLines > 0 }
}
