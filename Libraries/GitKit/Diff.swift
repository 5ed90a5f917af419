/// A diff of two refs: the unified patch (`-U3`) and what changed per file.
public struct Diff: Sendable, Hashable {
    /// The whole patch, as `git diff --no-color -U3` prints it.
    public var patch: String
    /// The changed files in patch order.
    public var files: [DiffFile]

    public init(patch: String, files: [DiffFile]) {
        self.patch = patch
        self.files = files
    }
}

/// One changed file of a diff, from `git diff --numstat`.
public struct DiffFile: Sendable, Hashable {
    /// Path in the new tree.
    public var path: String
    /// Path in the old tree, for a rename or copy.
    public var oldPath: String?
    /// Lines added; `nil` for a binary file.
    public var additions: Int?
    /// Lines deleted; `nil` for a binary file.
    public var deletions: Int?

    public init(path: String, oldPath: String? = nil, additions: Int?, deletions: Int?) {
        self.path = path
        self.oldPath = oldPath
        self.additions = additions
        self.deletions = deletions
    }

    /// Whether git saw binary content (numstat prints `-` for both counts).
    public var isBinary: Bool { additions == nil && deletions == nil }

    /// Parses `git diff --numstat -z`: `added\tdeleted\tpath\0`, or for a rename `added\tdeleted\t\0old\0new\0`.
    public static func parse(numstat: String) -> [DiffFile] {
        var fields = numstat.split(separator: "\0", omittingEmptySubsequences: false).map(String.init)[...]
        var files: [DiffFile] = []
        while let record = fields.popFirst(), !record.isEmpty {
            let parts = record.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 3 else { continue }
            let (additions, deletions) = (Int(parts[0]), Int(parts[1]))
            if parts[2].isEmpty {
                guard let old = fields.popFirst(), let new = fields.popFirst() else { break }
                files.append(DiffFile(path: new, oldPath: old, additions: additions, deletions: deletions))
            } else {
                files.append(DiffFile(path: parts[2], additions: additions, deletions: deletions))
            }
        }
        return files
    }
}
