import Foundation

/// Files of this repository, found from this source file's path.
public enum RepositoryPaths {
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    public static let registry = root.appendingPathComponent("Registry/agents.yaml")
    public static let schemas = root.appendingPathComponent("Registry/schemas")
}
