/// `session.command`: a command on a coding session's branch (`/diff`, `/undo`, `/pr`); the envelope's `conversation`
/// names the session, as for `session.turn`.
public struct SessionCommandRequest: AgentMessage, Hashable {
    public typealias Result = SessionCommandResult
    public static let type = "session.command"

    /// What to do.
    public enum Command: String, Codable, Sendable, Hashable, CaseIterable {
        /// The session branch against its base, as text.
        case diff
        /// Revert the last turn's commit that is not reverted yet, and push.
        case undo
        /// Open the pull request of the session branch into base, or find the open one.
        case pr
    }

    /// Clone URL of the session's repository.
    public var repoURL: String
    /// The branch the session branch is compared with.
    public var base: String
    public var command: Command
    /// The title of a pull request; derived from the session's first turn when absent.
    public var title: String?
    /// `owner/name` of the forge repository of a pull request; derived from a GitHub-style `repo_url` when absent.
    public var repo: String?
    /// The identity that asked, named as co-author of an undo.
    public var requester: String?

    enum CodingKeys: String, CodingKey {
        case repoURL = "repo_url"
        case base
        case command
        case title
        case repo
        case requester
    }

    public init(repoURL: String, base: String, command: Command, title: String? = nil, repo: String? = nil, requester: String? = nil) {
        self.repoURL = repoURL
        self.base = base
        self.command = command
        self.title = title
        self.repo = repo
        self.requester = requester
    }
}

/// The result of `session.command`: what to say in the conversation, the commit an undo pushed, the pull request.
public struct SessionCommandResult: Codable, Sendable, Hashable {
    /// The answer: the diff, what was undone, or the pull request.
    public var reply: String
    /// The session branch.
    public var branch: String
    /// The commit an undo pushed.
    public var commit: String?
    /// The session's pull request.
    public var prURL: String?
    /// Files for the person (a diff too long for a message), sent to the chat as files.
    public var files: [StoredFile]?

    enum CodingKeys: String, CodingKey {
        case reply
        case branch
        case commit
        case prURL = "pr_url"
        case files
    }

    public init(reply: String, branch: String, commit: String? = nil, prURL: String? = nil, files: [StoredFile]? = nil) {
        self.reply = reply
        self.branch = branch
        self.commit = commit
        self.prURL = prURL
        self.files = files
    }
}
