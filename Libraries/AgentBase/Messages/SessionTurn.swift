/// `session.turn`: one turn of a coding session, the text someone wrote in a conversation bound to a repository. The
/// envelope's `conversation` names the session; its branch is `SessionBranch.name(conversation:)`.
public struct SessionTurnRequest: AgentMessage, Hashable {
    public typealias Result = SessionTurnResult
    public static let type = "session.turn"

    /// Clone URL of the session's repository.
    public var repoURL: String
    /// Branch the session branch starts from on the first turn (and is compared with).
    public var base: String
    /// What the person wrote.
    public var text: String
    /// Files sent with the turn.
    public var attachments: [SessionAttachment]?
    /// How much of the turn's work is shown while it runs: 0 the reply only, 1 a status line, 2 every tool call.
    public var verbosity: Int?
    /// The identity that wrote the turn (`telegram:42`), named as co-author of its commit.
    public var requester: String?
    /// The conversation's recent messages, oldest first (the gateway adds them from `sb:conv:<conversation>`).
    public var context: [ChatTurn]?

    enum CodingKeys: String, CodingKey {
        case repoURL = "repo_url"
        case base
        case text
        case attachments
        case verbosity
        case requester
        case context
    }

    public init(repoURL: String, base: String, text: String, attachments: [SessionAttachment]? = nil, verbosity: Int? = nil, requester: String? = nil, context: [ChatTurn]? = nil) {
        self.repoURL = repoURL
        self.base = base
        self.text = text
        self.attachments = attachments
        self.verbosity = verbosity
        self.requester = requester
        self.context = context
    }

    /// Checks that the text says something and the verbosity is 0, 1 or 2.
    public func validate() throws(MessageValidationError) {
        if text.allSatisfy(\.isWhitespace) { throw MessageValidationError(type: Self.type, message: "/text: a turn needs some text") }
        if let verbosity, !(0...2).contains(verbosity) { throw MessageValidationError(type: Self.type, message: "/verbosity: \(verbosity) is not 0, 1 or 2") }
    }
}

/// A file sent with a turn, kept by the gateway for the session in the file store (`sb:file:<id>`).
public struct SessionAttachment: Codable, Sendable, Hashable {
    /// Its id in the file store; a file named without one is only named to the model.
    public var id: String?
    /// The file's name as sent.
    public var name: String
    /// Its media type, e.g. `text/plain`.
    public var mediaType: String?
    /// Its size in bytes.
    public var size: Int?

    enum CodingKeys: String, CodingKey {
        case id
        case name
        case mediaType = "media_type"
        case size
    }

    public init(id: String? = nil, name: String, mediaType: String? = nil, size: Int? = nil) {
        self.id = id
        self.name = name
        self.mediaType = mediaType
        self.size = size
    }
}

/// The result of `session.turn`: the reply for the conversation, the session branch, and the commit the turn made.
public struct SessionTurnResult: Codable, Sendable, Hashable {
    /// What the agent answers in the conversation.
    public var reply: String
    /// The session branch.
    public var branch: String
    /// The commit this turn pushed; absent when it changed nothing.
    public var commit: String?
    /// The files the commit changed, with lines added and removed.
    public var filesChanged: [FileChange]
    /// Outcome of the repository's tests, when they were run.
    public var tests: TestRunReport?
    /// The session's pull request, when there is one.
    public var prURL: String?
    /// The forge's page comparing the branch with its base, when the forge is known.
    public var compareURL: String?
    /// Files the turn made for the person (the model's `send_file`), sent to the chat as files.
    public var files: [StoredFile]?

    enum CodingKeys: String, CodingKey {
        case reply
        case branch
        case commit
        case filesChanged = "files_changed"
        case tests
        case prURL = "pr_url"
        case compareURL = "compare_url"
        case files
    }

    public init(reply: String, branch: String, commit: String? = nil, filesChanged: [FileChange] = [], tests: TestRunReport? = nil, prURL: String? = nil, compareURL: String? = nil) {
        self.reply = reply
        self.branch = branch
        self.commit = commit
        self.filesChanged = filesChanged
        self.tests = tests
        self.prURL = prURL
        self.compareURL = compareURL
    }
}

/// One file a commit changed: lines added and removed (0 and 0 for a binary file).
public struct FileChange: Codable, Sendable, Hashable {
    public var path: String
    public var added: Int
    public var removed: Int

    public init(path: String, added: Int, removed: Int) {
        self.path = path
        self.added = added
        self.removed = removed
    }

    /// A diffstat for people: `N files changed, +a −r`, then `- path (+a −r)` per file.
    public static func diffstat(_ files: [FileChange]) -> [String] {
        let added = files.map(\.added).reduce(0, +)
        let removed = files.map(\.removed).reduce(0, +)
        return ["\(files.count) file\(files.count == 1 ? "" : "s") changed, +\(added) −\(removed)"] + files.map { "- \($0.path) (+\($0.added) −\($0.removed))" }
    }
}
