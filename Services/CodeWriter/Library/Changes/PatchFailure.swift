import Foundation

/// Names the file and hunk of a patch that `git apply --check` refused, from git's words
/// (`error: patch failed: README.md:3`) and the patch's own hunk headers.
enum PatchFailure {
    static func describe(_ detail: String, patch: String) -> String {
        let said = detail.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: "; ")
        guard let (path, line) = failedHunk(in: detail) else {
            return "the patch does not apply: \(said)"
        }
        guard let header = hunkHeader(in: patch, path: path, oldStart: line) else {
            return "the patch does not apply to \(path) at line \(line): \(said)"
        }
        return "the patch does not apply to \(path) at hunk \(header): \(said)"
    }

    /// The path and old-file line of `error: patch failed: <path>:<line>`.
    static func failedHunk(in detail: String) -> (path: String, line: Int)? {
        let marker = "patch failed: "
        for line in detail.split(separator: "\n") {
            guard let range = line.range(of: marker) else { continue }
            let location = line[range.upperBound...]
            guard let colon = location.lastIndex(of: ":"), let number = Int(location[location.index(after: colon)...]) else { continue }
            return (String(location[..<colon]), number)
        }
        return nil
    }

    /// The `@@ -<oldStart>… @@` header of the hunk of `path` that starts at `oldStart` in the old file.
    static func hunkHeader(in patch: String, path: String, oldStart: Int) -> String? {
        var currentPath: String?
        for line in patch.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("+++ ") || line.hasPrefix("--- ") {
                let name = line.dropFirst(4).split(separator: "\t").first.map(String.init) ?? ""
                if name != "/dev/null" { currentPath = name.hasPrefix("a/") || name.hasPrefix("b/") ? String(name.dropFirst(2)) : name }
            } else if line.hasPrefix("@@ "), currentPath == path {
                let old = line.dropFirst(3).split(separator: " ").first ?? ""
                let start = old.dropFirst().split(separator: ",").first.flatMap { Int($0) }
                if start == oldStart, let end = line.dropFirst(2).range(of: "@@") {
                    return String(line[..<end.upperBound])
                }
            }
        }
        return nil
    }
}
