import Foundation

/// Files of this repository, found from this source file's path.
enum RepositoryPaths {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let registry = root.appendingPathComponent("Registry/agents.yaml")
    static let schemas = root.appendingPathComponent("Registry/schemas")
}
