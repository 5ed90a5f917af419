/// Recognises files a review should not read: generated code, vendored dependencies and lock files.
enum FileClassifier {
    static let lockFiles: Set<String> = [
        "Package.resolved", "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", "Cargo.lock",
        "Gemfile.lock", "poetry.lock", "Pipfile.lock", "uv.lock", "composer.lock", "go.sum", "Podfile.lock", "mix.lock",
    ]
    static let vendored = ["vendor/", "third_party/", "node_modules/", "Pods/", "Carthage/"].map(PathGlob.init)
    static let generated = ["*.pb.swift", "*.grpc.swift", "*.pb.go", "*_pb2.py", "*_pb2_grpc.py", "*.generated.*", "*.g.dart", "*.min.js", "*.min.css"].map(PathGlob.init)
    /// Header markers of generated files, looked for in the first lines of the new file.
    static let generatedMarkers = ["DO NOT EDIT", "@generated"]
    static let headerLines = 10

    static func skipReason(for file: ChangedFile) -> SkipReason? {
        if file.isBinary { return .binary }
        if lockFiles.contains(file.path.split(separator: "/").last.map(String.init) ?? file.path) { return .lockFile }
        if PathGlob.any(vendored, match: file.path) { return .vendored }
        if PathGlob.any(generated, match: file.path) || hasGeneratedHeader(file) { return .generated }
        if file.isMissingPatch { return .patchUnavailable }
        return nil
    }

    private static func hasGeneratedHeader(_ file: ChangedFile) -> Bool {
        file.addedLines.contains { line in
            guard let number = line.newLine, number <= headerLines else { return false }
            return generatedMarkers.contains { line.text.contains($0) }
        }
    }
}
