import Foundation

/// A path given by a request, resolved inside a work tree it cannot leave: relative, no `..`, no `.git` component
/// (in any case, with trailing dots or spaces, or invisible characters: `.GIT`, `.git.`, `./.git`, `x/.git/config`),
/// and no symbolic link on the way that points outside. `.` and empty components are dropped before the checks.
public enum WorktreePath {
    /// The file URL of `relative` inside `root`, or `GitError.unsafePath`.
    public static func resolve(_ relative: String, in root: URL) throws(GitError) -> URL {
        guard !relative.isEmpty else { throw .unsafePath(relative, reason: "it is empty") }
        guard !relative.hasPrefix("/") else { throw .unsafePath(relative, reason: "absolute paths are not allowed; give a path relative to the repository root") }
        guard !relative.contains("\0") else { throw .unsafePath(relative, reason: "it contains a NUL byte") }
        let components = relative.split(separator: "/", omittingEmptySubsequences: true).filter { $0 != "." }
        guard !components.isEmpty else { throw .unsafePath(relative, reason: "it names the repository root, not a file") }
        guard !components.contains(where: isGitDirectory) else { throw .unsafePath(relative, reason: "the .git directory is off limits") }
        guard !components.contains("..") else { throw .unsafePath(relative, reason: "'..' is not allowed") }
        let base = root.standardizedFileURL.resolvingSymlinksInPath()
        let target = components.reduce(base) { $0.appendingPathComponent(String($1)) }
        guard isInside(deepestExisting(target).resolvingSymlinksInPath(), base) else {
            throw .unsafePath(relative, reason: "a symbolic link on the way points outside the repository")
        }
        if let destination = try? FileManager.default.destinationOfSymbolicLink(atPath: target.path) {
            let pointee = URL(fileURLWithPath: destination, relativeTo: target.deletingLastPathComponent()).standardizedFileURL
            guard isInside(pointee.resolvingSymlinksInPath(), base) else {
                throw .unsafePath(relative, reason: "it is a symbolic link to outside the repository")
            }
        }
        return target
    }

    /// Whether a component names `.git` on some file system: case-insensitively, ignoring invisible (default
    /// ignorable) characters as HFS+ does, and trailing dots and spaces as Windows does.
    static func isGitDirectory(_ component: Substring) -> Bool {
        var visible = String(String.UnicodeScalarView(component.unicodeScalars.filter { !$0.properties.isDefaultIgnorableCodePoint }))
        while let last = visible.last, last == "." || last == " " { visible.removeLast() }
        return visible.lowercased() == ".git"
    }

    private static func deepestExisting(_ url: URL) -> URL {
        var current = url.deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: current.path), current.pathComponents.count > 1 {
            current = current.deletingLastPathComponent()
        }
        return current
    }

    private static func isInside(_ url: URL, _ root: URL) -> Bool {
        let path = url.standardizedFileURL.path
        return path == root.path || path.hasPrefix(root.path.hasSuffix("/") ? root.path : root.path + "/")
    }
}
