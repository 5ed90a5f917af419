/// Languages a rule can be limited to, recognised by file name ending.
enum Language {
    static let extensions: [String: [String]] = [
        "c": [".c", ".h"],
        "cpp": [".cc", ".cpp", ".cxx", ".hpp", ".hh", ".mm"],
        "csharp": [".cs"],
        "go": [".go"],
        "java": [".java"],
        "javascript": [".js", ".jsx", ".mjs", ".cjs"],
        "kotlin": [".kt", ".kts"],
        "php": [".php"],
        "python": [".py"],
        "ruby": [".rb", ".rake"],
        "rust": [".rs"],
        "shell": [".sh", ".bash", ".zsh"],
        "swift": [".swift"],
        "typescript": [".ts", ".tsx", ".mts", ".cts"],
    ]

    static var names: String { extensions.keys.sorted().joined(separator: ", ") }

    static func path(_ path: String, isIn languages: [String]) -> Bool {
        languages.contains { language in extensions[language, default: []].contains { path.hasSuffix($0) } }
    }
}
