/// `session.command`: a command on a coding session's branch (`/diff`, `/undo`); the envelope's `conversation` names
/// the session, as for `session.turn`.
public struct SessionCommandRequest: AgentMessage, Hashable {
    public typealias Result = SessionCommandResult
    public static let type = "session.command"

    /// What to do.
    public enum Command: String, Codable, Sendable, Hashable, CaseIterable {
        /// The session branch against its base, as text.
        case diff
        /// Revert the last turn's commit that is not reverted yet, and push.
        case undo
    }

    /// Clone URL of the session's repository.
    public var repoURL: String
    /// The branch the session branch is compared with.
    public var base: String
    public var command: Command
    /// The identity that asked, named as co-author of an undo.
    public var requester: String?

    enum CodingKeys: String, CodingKey {
        case repoURL = "repo_url"
        case base
        case command
        case requester
    }

    public init(repoURL: String, base: String, command: Command, requester: String? = nil) {
        self.repoURL = repoURL
        self.base = base
        self.command = command
        self.requester = requester
    }
}

/// The result of `session.command`: what to say in the conversation, and the commit an undo pushed.
public struct SessionCommandResult: Codable, Sendable, Hashable {
    /// The answer: the diff, or what was undone.
    public var reply: String
    /// The session branch.
    public var branch: String
    /// The commit an undo pushed.
    public var commit: String?

    public init(reply: String, branch: String, commit: String? = nil) {
        self.reply = reply
        self.branch = branch
        self.commit = commit
    }
}
