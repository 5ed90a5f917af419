/// Entry points for reading unified diffs: whole `git diff` output, or the hunks of one file's patch.
public enum UnifiedDiff {
    /// Parses `git diff` (or `diff -u`) output into its files; renames, copies, new and deleted files, binary files,
    /// `\ No newline at end of file` and CRLF line endings are understood. Text before the first file is ignored.
    public static func parse(_ text: String) throws(DiffParseError) -> [ChangedFile] {
        var parser = GitDiffParser(lines: lines(of: text))
        return try parser.parseFiles()
    }

    /// Parses one file's hunks, such as GitHub's per-file `patch` string.
    public static func parseHunks(_ patch: String) throws(DiffParseError) -> [DiffHunk] {
        var reader = HunkReader(lines: lines(of: patch))
        let hunks = try reader.readHunks()
        if let stray = reader.remainingLine { throw DiffParseError(line: reader.index + 1, message: "expected a hunk header '@@ -a,b +c,d @@', found '\(stray.prefix(60))'") }
        return hunks
    }

    /// Splits at `\n` and `\r\n` (a CRLF is a single Character in Swift), keeping empty lines.
    static func lines(of text: String) -> [Substring] {
        var lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
        if lines.last?.isEmpty == true { lines.removeLast() }
        return lines
    }
}
