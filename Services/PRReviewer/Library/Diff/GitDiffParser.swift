/// Reads the files of `git diff` output: each `diff --git` header (or bare `---`/`+++` pair), its extended header lines and its hunks.
struct GitDiffParser {
    private var reader: HunkReader

    init(lines: [Substring]) {
        reader = HunkReader(lines: lines)
    }

    private var lines: [Substring] { reader.lines }

    mutating func parseFiles() throws(DiffParseError) -> [ChangedFile] {
        var files: [ChangedFile] = []
        while reader.index < lines.count {
            if startsFile(at: reader.index) {
                files.append(try parseFile())
            } else {
                reader.index += 1
            }
        }
        return files
    }

    private func startsFile(at index: Int) -> Bool {
        let line = lines[index]
        if line.hasPrefix("diff --git ") { return true }
        return line.hasPrefix("--- ") && index + 1 < lines.count && lines[index + 1].hasPrefix("+++ ")
    }

    private mutating func parseFile() throws(DiffParseError) -> ChangedFile {
        let headerLine = reader.index + 1
        var header = FileHeader()
        if lines[reader.index].hasPrefix("diff --git ") {
            header.readGitHeader(lines[reader.index].dropFirst("diff --git ".count))
            reader.index += 1
        }
        while reader.index < lines.count, !lines[reader.index].hasPrefix("diff --git "), !lines[reader.index].hasPrefix("@@ ") {
            if header.read(lines[reader.index]) == .binaryPatch {
                skipBinaryPatch()
                break
            }
            reader.index += 1
        }
        let hunks = try reader.readHunks()
        guard let path = header.newPath ?? header.oldPath else {
            throw DiffParseError(line: headerLine, message: "cannot tell which file this diff is about (no 'diff --git a/… b/…', '---' or '+++' path)")
        }
        return ChangedFile(path: path, previousPath: header.previousPath, status: header.status, isBinary: header.isBinary, hunks: hunks)
    }

    private mutating func skipBinaryPatch() {
        while reader.index < lines.count, !lines[reader.index].hasPrefix("diff --git ") {
            reader.index += 1
        }
    }
}

/// What the header lines of one file in a git diff say: paths, status and whether it is binary.
private struct FileHeader {
    var oldPath: String?
    var newPath: String?
    var renamedFrom: String?
    var copiedFrom: String?
    var created = false
    var deleted = false
    var isBinary = false

    enum LineKind { case header, binaryPatch }

    var status: FileStatus {
        if created { return .added }
        if deleted { return .removed }
        if renamedFrom != nil { return .renamed }
        if copiedFrom != nil { return .copied }
        return .modified
    }

    var previousPath: String? { renamedFrom ?? copiedFrom }

    /// `a/<old> b/<new>` after `diff --git `: the fallback paths when no `---`/`+++` lines follow (binary files, mode changes, pure renames).
    mutating func readGitHeader(_ rest: Substring) {
        let (old, new) = GitPath.splitHeaderPaths(rest)
        oldPath = old.map { GitPath.strip($0, prefix: "a/") }
        newPath = new.map { GitPath.strip($0, prefix: "b/") }
    }

    mutating func read(_ line: Substring) -> LineKind {
        if line.hasPrefix("new file mode") {
            created = true
        } else if line.hasPrefix("deleted file mode") {
            deleted = true
        } else if let value = line.value(after: "rename from ") {
            renamedFrom = GitPath.unquote(value)
        } else if let value = line.value(after: "rename to ") {
            newPath = GitPath.unquote(value)
        } else if let value = line.value(after: "copy from ") {
            copiedFrom = GitPath.unquote(value)
        } else if let value = line.value(after: "copy to ") {
            newPath = GitPath.unquote(value)
        } else if let value = line.value(after: "--- ") {
            let path = GitPath.diffPath(value, prefix: "a/")
            if path == nil { created = true } else { oldPath = path }
        } else if let value = line.value(after: "+++ ") {
            let path = GitPath.diffPath(value, prefix: "b/")
            if path == nil { deleted = true } else { newPath = path }
        } else if line.hasPrefix("Binary files ") && line.hasSuffix(" differ") {
            isBinary = true
        } else if line == "GIT binary patch" {
            isBinary = true
            return .binaryPatch
        }
        return .header
    }
}

extension Substring {
    /// The rest of the line after `prefix`, or nil when it does not start with it.
    fileprivate func value(after prefix: String) -> Substring? {
        hasPrefix(prefix) ? dropFirst(prefix.count) : nil
    }
}
