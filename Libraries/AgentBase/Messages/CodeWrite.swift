/// `code.write`: turn a spec (and optional explicit edits) into a branch with passing tests and, optionally, a PR.
public struct CodeWriteRequest: AgentMessage, Hashable {
    public typealias Result = CodeWriteResult
    public static let type = "code.write"

    /// Clone URL of the repository.
    public var repoURL: String
    /// Branch to start from and to open the PR against.
    public var base: String
    /// Branch to create; the agent picks a name from the task id when absent.
    public var branch: String?
    /// What to change, in plain language.
    public var spec: String
    /// Explicit edits: when given they are the whole change (no model is asked); when absent the model writes it from the spec.
    public var edits: [CodeEdit]?
    /// Test command as argv (never a shell string); run after the edits.
    public var testCommand: [String]?
    /// Open a pull request from `branch` into `base`; defaults to `false` when absent.
    public var openPR: Bool
    /// Title of the commit and PR; derived from the spec when absent.
    public var title: String?
    /// `owner/name` of the forge repository the PR is opened in; derived from a GitHub-style `repo_url` when absent.
    public var repo: String?
    /// Open the pull request as a draft; absent means not.
    public var draft: Bool?

    enum CodingKeys: String, CodingKey {
        case repoURL = "repo_url"
        case base
        case branch
        case spec
        case edits
        case testCommand = "test_command"
        case openPR = "open_pr"
        case title
        case repo
        case draft
    }

    public init(
        repoURL: String, base: String, branch: String? = nil, spec: String, edits: [CodeEdit]? = nil,
        testCommand: [String]? = nil, openPR: Bool = false, title: String? = nil, repo: String? = nil, draft: Bool? = nil
    ) {
        self.repoURL = repoURL
        self.base = base
        self.branch = branch
        self.spec = spec
        self.edits = edits
        self.testCommand = testCommand
        self.openPR = openPR
        self.title = title
        self.repo = repo
        self.draft = draft
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        repoURL = try container.decode(String.self, forKey: .repoURL)
        base = try container.decode(String.self, forKey: .base)
        branch = try container.decodeIfPresent(String.self, forKey: .branch)
        spec = try container.decode(String.self, forKey: .spec)
        edits = try container.decodeIfPresent([CodeEdit].self, forKey: .edits)
        testCommand = try container.decodeIfPresent([String].self, forKey: .testCommand)
        openPR = try container.decodeIfPresent(Bool.self, forKey: .openPR) ?? false
        title = try container.decodeIfPresent(String.self, forKey: .title)
        repo = try container.decodeIfPresent(String.self, forKey: .repo)
        draft = try container.decodeIfPresent(Bool.self, forKey: .draft)
    }

    /// Checks that every edit takes exactly one form and that a test command, when given, is not empty.
    public func validate() throws(MessageValidationError) {
        for (index, edit) in (edits ?? []).enumerated() {
            do {
                _ = try edit.kind
            } catch {
                throw MessageValidationError(type: Self.type, message: "/edits/\(index): \(error.message)")
            }
        }
        try MessageValidationError.checkArgv(testCommand, type: Self.type)
    }
}

/// One explicit edit of a `code.write` request: either `{path, content}` (write a whole file) or `{patch}` (a unified diff).
public struct CodeEdit: Codable, Sendable, Hashable {
    /// File path relative to the repository root (with `content`).
    public var path: String?
    /// The complete new content of the file (with `path`).
    public var content: String?
    /// A unified diff to apply with `git apply`.
    public var patch: String?

    enum CodingKeys: String, CodingKey {
        case path
        case content
        case patch
    }

    public init(path: String? = nil, content: String? = nil, patch: String? = nil) {
        self.path = path
        self.content = content
        self.patch = patch
    }

    /// Writes `content` to `path`.
    public static func file(_ path: String, content: String) -> CodeEdit {
        CodeEdit(path: path, content: content)
    }

    /// Applies a unified diff.
    public static func patch(_ patch: String) -> CodeEdit {
        CodeEdit(patch: patch)
    }

    /// Which form of edit this is.
    public enum Kind: Sendable, Hashable {
        /// Write the whole file.
        case file(path: String, content: String)
        /// Apply a unified diff.
        case patch(String)
    }

    /// The form of this edit; throws a readable error when it is neither or both forms.
    public var kind: Kind {
        get throws(MessageValidationError) {
            // The same rule as the schema's oneOf: exactly one of {path, content} and {patch} is complete.
            switch (path, content, patch) {
            case (.some, .some, .some):
                throw MessageValidationError(type: CodeWriteRequest.type, message: "an edit is either {path, content} or {patch}, not both")
            case (let path?, let content?, nil):
                return .file(path: path, content: content)
            case (_, _, let patch?):
                return .patch(patch)
            case (let path?, nil, nil):
                throw MessageValidationError(type: CodeWriteRequest.type, message: "the edit of \(path) has no \"content\"")
            case (nil, _, nil):
                throw MessageValidationError(type: CodeWriteRequest.type, message: "an edit needs {path, content} or {patch}")
            }
        }
    }
}

/// The result of `code.write`: the pushed branch and commit, the test outcome, and the PR when one was opened.
public struct CodeWriteResult: Codable, Sendable, Hashable {
    /// The branch that was pushed.
    public var branch: String
    /// SHA of the head commit of the branch.
    public var commit: String
    /// Outcome of the test command; absent when no test command was given or found.
    public var tests: TestRunReport?
    /// URL of the pull request, when one was opened.
    public var prURL: String?
    /// What the person should know about the outcome, e.g. why no PR was opened (tests failed, a bound was reached).
    public var note: String?

    enum CodingKeys: String, CodingKey {
        case branch
        case commit
        case tests
        case prURL = "pr_url"
        case note
    }

    public init(branch: String, commit: String, tests: TestRunReport? = nil, prURL: String? = nil, note: String? = nil) {
        self.branch = branch
        self.commit = commit
        self.tests = tests
        self.prURL = prURL
        self.note = note
    }
}
