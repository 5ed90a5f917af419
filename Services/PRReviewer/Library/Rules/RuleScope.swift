/// The files a rule looks at: its languages or path globs (none means every file), minus excluded paths and, when asked, test files.
public struct RuleScope: Sendable {
    public var languages: [String]
    public var paths: [PathGlob]
    public var excludePaths: [PathGlob]
    /// Test files (the rule set's `test_paths`) are left out.
    public var skipTests: Bool
    var testPaths: [PathGlob]

    public init(languages: [String] = [], paths: [PathGlob] = [], excludePaths: [PathGlob] = [], skipTests: Bool = false, testPaths: [PathGlob] = []) {
        self.languages = languages
        self.paths = paths
        self.excludePaths = excludePaths
        self.skipTests = skipTests
        self.testPaths = testPaths
    }

    /// Whether a file at `path` is in scope.
    public func contains(_ path: String) -> Bool {
        let included = (languages.isEmpty && paths.isEmpty) || Language.path(path, isIn: languages) || PathGlob.any(paths, match: path)
        guard included, !PathGlob.any(excludePaths, match: path) else { return false }
        return !(skipTests && PathGlob.any(testPaths, match: path))
    }
}
