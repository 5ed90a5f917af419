/// `pr.describe`: a title and a description of a pull request on the forge (`{repo, number}`), from its diff — what
/// changed, file by file, and what kind of change it is — posted as a comment when `post` is true.
public struct PRDescribeRequest: AgentMessage, Hashable {
    public typealias Result = PRDescribeResult
    public static let type = "pr.describe"

    /// `owner/repo` on the forge.
    public var repo: String
    /// Pull request number.
    public var number: Int
    /// Post the description as a comment on the pull request; defaults to `false` when absent.
    public var post: Bool
    /// Write the description into the pull request's own body instead (the author's text kept below it, folded);
    /// defaults to `false` when absent.
    public var intoBody: Bool

    public init(repo: String, number: Int, post: Bool = false, intoBody: Bool = false) {
        self.repo = repo
        self.number = number
        self.post = post
        self.intoBody = intoBody
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        repo = try container.decode(String.self, forKey: .repo)
        number = try container.decode(Int.self, forKey: .number)
        post = try container.decodeIfPresent(Bool.self, forKey: .post) ?? false
        intoBody = try container.decodeIfPresent(Bool.self, forKey: .intoBody) ?? false
    }

    enum CodingKeys: String, CodingKey {
        case repo
        case number
        case post
        case intoBody = "into_body"
    }

    /// Checks the repository's shape and the number.
    public func validate() throws(MessageValidationError) {
        try PullRequestReference.check(repo: repo, number: number, type: Self.type)
    }
}

/// The result of `pr.describe`: a suggested title, a summary, the walkthrough by file, change-kind labels, the
/// description as Markdown, and whether (and where) it was posted.
public struct PRDescribeResult: Codable, Sendable, Hashable {
    /// A title for the pull request.
    public var title: String
    /// One paragraph: how much changed, where, and of which kinds.
    public var summary: String
    /// What changed in each file.
    public var walkthrough: [FileChange]
    /// Kinds of change found in the diff: `feature`, `tests`, `docs`, `dependencies`, `ci`, `config`, `refactor`, `cleanup`.
    public var labels: [String]
    /// The description as Markdown (the comment's body).
    public var body: String
    /// Whether the description was posted on the pull request.
    public var posted: Bool
    /// URL of the posted comment, when posted.
    public var commentURL: String?

    enum CodingKeys: String, CodingKey {
        case title
        case summary
        case walkthrough
        case labels
        case body
        case posted
        case commentURL = "comment_url"
    }

    public init(title: String, summary: String, walkthrough: [FileChange], labels: [String], body: String, posted: Bool, commentURL: String? = nil) {
        self.title = title
        self.summary = summary
        self.walkthrough = walkthrough
        self.labels = labels
        self.body = body
        self.posted = posted
        self.commentURL = commentURL
    }

    /// One file of the walkthrough.
    public struct FileChange: Codable, Sendable, Hashable {
        /// File path relative to the repository root.
        public var path: String
        /// `added`, `modified`, `removed` or `renamed`.
        public var change: String
        /// Lines added.
        public var added: Int
        /// Lines removed.
        public var removed: Int

        public init(path: String, change: String, added: Int, removed: Int) {
            self.path = path
            self.change = change
            self.added = added
            self.removed = removed
        }
    }
}
