import AgentBase

/// Describes a change from its diff alone: the walkthrough by file, the kinds of change (by paths and file status),
/// a summary and a title, and the Markdown body a comment carries (with a hidden marker).
public struct PullRequestDescriber: Sendable {
    /// The marker that identifies Switchboard's description comment.
    public static let marker = "<!-- switchboard:describe -->"

    let rules: RuleSet

    public init(rules: RuleSet) {
        self.rules = rules
    }

    /// The description of `files`; `title` is the pull request's own title, kept when it has one.
    public func describe(_ files: [ChangedFile], title: String?) -> PRDescribeResult {
        let walkthrough = files.map { PRDescribeResult.FileChange(path: $0.path, change: Self.change($0.status), added: $0.additions, removed: $0.deletions) }
        let labels = self.labels(files)
        let summary = Self.summary(files, labels: labels)
        let title = title.flatMap { $0.isEmpty ? nil : $0 } ?? Self.title(files, labels: labels)
        var body = ["\(Self.marker)", "## \(title)", "", "### Summary", summary, ""]
        if !labels.isEmpty { body += ["**Labels:** \(labels.joined(separator: ", "))", ""] }
        body += ["### Walkthrough", "", "| File | Change | + | − |", "|---|---|---|---|"]
        body += walkthrough.prefix(100).map { "| `\($0.path)` | \($0.change) | \($0.added) | \($0.removed) |" }
        if walkthrough.count > 100 { body.append("| … and \(walkthrough.count - 100) more files | | | |") }
        body += ["", "_Described from the diff by Switchboard._"]
        return PRDescribeResult(title: title, summary: summary, walkthrough: walkthrough, labels: labels, body: body.joined(separator: "\n") + "\n", posted: false)
    }

    /// Kinds of change: `feature` (new source files), `tests`, `docs`, `dependencies`, `ci`, `config`, `refactor`
    /// (renames), `cleanup` (only removals), in that order.
    func labels(_ files: [ChangedFile]) -> [String] {
        var kinds: Set<String> = []
        for file in files {
            let path = file.path
            let name = path.split(separator: "/").last.map(String.init) ?? path
            if rules.isTest(path) {
                kinds.insert("tests")
            } else if Self.dependencyFiles.contains(name) {
                kinds.insert("dependencies")
            } else if path.hasPrefix(".github/workflows/") || Self.ciFiles.contains(name) {
                kinds.insert("ci")
            } else if path.hasPrefix("docs/") || Self.docExtensions.contains(where: path.lowercased().hasSuffix) {
                kinds.insert("docs")
            } else if Self.configExtensions.contains(where: path.lowercased().hasSuffix) {
                kinds.insert("config")
            } else if file.status == .added && Language.path(path, isIn: Array(Language.extensions.keys)) {
                kinds.insert("feature")
            }
            if file.status == .renamed { kinds.insert("refactor") }
        }
        if !files.isEmpty && files.allSatisfy({ $0.status == .removed }) { kinds.insert("cleanup") }
        return Self.labelOrder.filter(kinds.contains)
    }

    static let labelOrder = ["feature", "tests", "docs", "dependencies", "ci", "config", "refactor", "cleanup"]
    static let dependencyFiles: Set<String> = [
        "Package.swift", "Package.resolved", "package.json", "package-lock.json", "yarn.lock", "pnpm-lock.yaml", "go.mod", "go.sum",
        "requirements.txt", "pyproject.toml", "poetry.lock", "Pipfile", "Pipfile.lock", "Gemfile", "Gemfile.lock", "Cargo.toml",
        "Cargo.lock", "pom.xml", "build.gradle", "build.gradle.kts", "composer.json", "composer.lock",
    ]
    static let ciFiles: Set<String> = [".gitlab-ci.yml", "Jenkinsfile", ".travis.yml", "azure-pipelines.yml", "bitbucket-pipelines.yml"]
    static let docExtensions = [".md", ".rst", ".adoc", ".txt"]
    static let configExtensions = [".yml", ".yaml", ".json", ".toml", ".ini", ".cfg", ".conf", ".env.example"]

    static func change(_ status: FileStatus) -> String {
        switch status {
        case .added: "added"
        case .removed: "removed"
        case .renamed: "renamed"
        default: "modified"
        }
    }

    /// `3 files changed (+58 −4) in Sources/App and Tests: 1 added, 2 modified. Kinds: feature, tests.`
    static func summary(_ files: [ChangedFile], labels: [String]) -> String {
        let added = files.reduce(0) { $0 + $1.additions }
        let removed = files.reduce(0) { $0 + $1.deletions }
        let folders = topFolders(files)
        let place = folders.isEmpty ? "" : " in " + (folders.count > 3 ? Plural.list(folders, limit: 3) : list(folders))
        let counts = ["added", "modified", "renamed", "removed"].compactMap { kind -> String? in
            let count = files.filter { change($0.status) == kind }.count
            return count == 0 ? nil : "\(count) \(kind)"
        }
        let kinds = labels.isEmpty ? "" : " Kinds: \(labels.joined(separator: ", "))."
        return "\(Plural.count(files.count, "file")) changed (+\(added) −\(removed))\(place): \(counts.joined(separator: ", ")).\(kinds)"
    }

    /// A title when the pull request has none: the main kind and where.
    static func title(_ files: [ChangedFile], labels: [String]) -> String {
        let folders = topFolders(files)
        let place = folders.first.map { " in \($0)" } ?? ""
        switch labels.first {
        case "feature": return "Add \(files.first { $0.status == .added }?.path.split(separator: "/").last.map(String.init) ?? "new files")\(place)"
        case "tests": return "Update tests\(place)"
        case "docs": return "Update documentation\(place)"
        case "dependencies": return "Update dependencies"
        case "ci": return "Update CI"
        case "cleanup": return "Remove \(Plural.count(files.count, "file"))\(place)"
        default: return "Change \(Plural.count(files.count, "file"))\(place)"
        }
    }

    /// The first path component of each file ("the top folder" for files at the root), most files first.
    static func topFolders(_ files: [ChangedFile]) -> [String] {
        var counts: [String: Int] = [:]
        var order: [String] = []
        for file in files {
            let parts = file.path.split(separator: "/")
            let folder = parts.count > 1 ? String(parts[0]) : "the top folder"
            if counts[folder] == nil { order.append(folder) }
            counts[folder, default: 0] += 1
        }
        return order.enumerated().sorted { (counts[$0.element, default: 0], -$0.offset) > (counts[$1.element, default: 0], -$1.offset) }.map(\.element)
    }

    private static func list(_ items: [String]) -> String {
        guard let last = items.last, items.count > 1 else { return items.joined() }
        return items.dropLast().joined(separator: ", ") + " and " + last
    }
}
