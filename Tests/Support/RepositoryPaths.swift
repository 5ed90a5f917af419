import Foundation

/// Files of this repository, found from this source file's path.
public enum RepositoryPaths {
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    public static let registry = root.appendingPathComponent("Registry/agents.yaml")
    public static let schemas = root.appendingPathComponent("Registry/schemas")

    /// A built executable of this package (`agentctl`, `assistant`, …): next to the running test binary, else in `.build/debug`.
    public static func executable(_ name: String) -> String {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(name).path
        if FileManager.default.isExecutableFile(atPath: beside) { return beside }
        return root.appendingPathComponent(".build/debug/\(name)").path
    }
}
