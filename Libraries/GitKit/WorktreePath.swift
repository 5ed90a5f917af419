import Foundation

/// A path given by a request, resolved inside a work tree it cannot leave: relative, no `..`, and no symbolic
/// link on the way that points outside.
public enum WorktreePath {
    /// The file URL of `relative` inside `root`, or `GitError.unsafePath`.
    public static func resolve(_ relative: String, in root: URL) throws(GitError) -> URL {
        guard !relative.isEmpty else { throw .unsafePath(relative, reason: "it is empty") }
        guard !relative.hasPrefix("/") else { throw .unsafePath(relative, reason: "absolute paths are not allowed; give a path relative to the repository root") }
        guard !relative.contains("\0") else { throw .unsafePath(relative, reason: "it contains a NUL byte") }
        let components = relative.split(separator: "/", omittingEmptySubsequences: true)
        guard !components.contains("..") else { throw .unsafePath(relative, reason: "'..' is not allowed") }
        guard components.first != ".git" else { throw .unsafePath(relative, reason: "the .git directory is off limits") }
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
