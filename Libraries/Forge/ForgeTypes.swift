/// `owner/name` of a repository on a forge.
public struct RepositoryName: Sendable, Hashable, CustomStringConvertible {
    public var owner: String
    public var name: String

    public init(owner: String, name: String) {
        self.owner = owner
        self.name = name
    }

    /// Parses `owner/name`; `nil` for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." && $0.allSatisfy(allowed.contains) }) else { return nil }
        self.init(owner: parts[0], name: parts[1])
    }

    public var description: String { "\(owner)/\(name)" }
}

/// A pull request as the forge describes it.
public struct PullRequest: Codable, Sendable, Hashable {
    public var number: Int
    public var title: String
    /// The description its author wrote (GitHub sends `null` for none).
    public var body: String?
    public var state: String
    public var htmlURL: String
    public var head: PullRequestRef
    public var base: PullRequestRef

    enum CodingKeys: String, CodingKey {
        case number, title, body, state, head, base
        case htmlURL = "html_url"
    }
}

/// One side of a pull request: branch, commit, and the repository it lives in.
public struct PullRequestRef: Codable, Sendable, Hashable {
    /// Branch name.
    public var ref: String
    public var sha: String
    /// The repository of the branch; absent when it was deleted.
    public var repository: Repository?

    /// The repository of a pull request side.
    public struct Repository: Codable, Sendable, Hashable {
        public var fullName: String
        public var cloneURL: String

        enum CodingKeys: String, CodingKey {
            case fullName = "full_name"
            case cloneURL = "clone_url"
        }
    }

    enum CodingKeys: String, CodingKey {
        case ref, sha
        case repository = "repo"
    }
}

/// One file a pull request changes.
public struct PullRequestFile: Codable, Sendable, Hashable {
    public var filename: String
    /// `added`, `removed`, `modified`, `renamed`, `copied`, `changed` or `unchanged`.
    public var status: String
    public var additions: Int
    public var deletions: Int
    /// The unified diff hunks; absent for binary files and very large diffs.
    public var patch: String?
    /// The old path of a renamed file.
    public var previousFilename: String?

    enum CodingKeys: String, CodingKey {
        case filename, status, additions, deletions, patch
        case previousFilename = "previous_filename"
    }
}

/// Two commits compared: `status` is `ahead`, `behind`, `diverged` or `identical`; `files` changed from base to head.
public struct Comparison: Codable, Sendable, Hashable {
    public var status: String
    public var files: [PullRequestFile]?

    public init(status: String, files: [PullRequestFile]?) {
        self.status = status
        self.files = files
    }
}

/// A review of a pull request.
public struct Review: Codable, Sendable, Hashable {
    public var id: Int
    public var body: String
    /// `COMMENTED`, `APPROVED`, `CHANGES_REQUESTED`, `PENDING` or `DISMISSED`.
    public var state: String
    public var htmlURL: String?
    public var commitID: String?
    public var user: User?

    /// The account that wrote a review or comment.
    public struct User: Codable, Sendable, Hashable {
        public var login: String
    }

    enum CodingKeys: String, CodingKey {
        case id, body, state, user
        case htmlURL = "html_url"
        case commitID = "commit_id"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(Int.self, forKey: .id)
        body = try container.decodeIfPresent(String.self, forKey: .body) ?? ""
        state = try container.decodeIfPresent(String.self, forKey: .state) ?? ""
        htmlURL = try container.decodeIfPresent(String.self, forKey: .htmlURL)
        commitID = try container.decodeIfPresent(String.self, forKey: .commitID)
        user = try container.decodeIfPresent(User.self, forKey: .user)
    }
}

/// A review to post: a summary body and inline comments on the new side of the diff.
public struct NewReview: Codable, Sendable, Hashable {
    public var body: String
    /// The commit the comments refer to (the PR's head SHA).
    public var commitID: String
    public var event: String
    public var comments: [Comment]

    /// An inline comment on line `line` of the new file (`side: RIGHT`).
    public struct Comment: Codable, Sendable, Hashable {
        public var path: String
        public var line: Int
        public var side: String
        public var body: String

        public init(path: String, line: Int, body: String) {
            self.path = path
            self.line = line
            self.side = "RIGHT"
            self.body = body
        }
    }

    enum CodingKeys: String, CodingKey {
        case body, event, comments
        case commitID = "commit_id"
    }

    public init(body: String, commitID: String, comments: [Comment]) {
        self.body = body
        self.commitID = commitID
        self.event = "COMMENT"
        self.comments = comments
    }
}

/// An inline comment of a review as the forge stores it.
public struct ReviewComment: Codable, Sendable, Hashable {
    public var id: Int
    public var path: String
    /// Line in the new file; absent when the comment is outdated.
    public var line: Int?
    public var body: String
    public var pullRequestReviewID: Int?
    public var htmlURL: String?

    enum CodingKeys: String, CodingKey {
        case id, path, line, body
        case pullRequestReviewID = "pull_request_review_id"
        case htmlURL = "html_url"
    }
}

/// What to change of a pull request: its title and body (a nil field is left as it is).
public struct PullRequestUpdate: Codable, Sendable, Hashable {
    public var title: String?
    public var body: String?

    public init(title: String? = nil, body: String? = nil) {
        self.title = title
        self.body = body
    }
}

/// A pull request to open: title, head and base branches, body, draft or not.
public struct NewPullRequest: Codable, Sendable, Hashable {
    public var title: String
    /// The branch with the changes (`owner:branch` for a fork).
    public var head: String
    /// The branch to merge into.
    public var base: String
    public var body: String?
    public var draft: Bool

    public init(title: String, head: String, base: String, body: String? = nil, draft: Bool = false) {
        self.title = title
        self.head = head
        self.base = base
        self.body = body
        self.draft = draft
    }
}

/// A comment on an issue or pull request's conversation.
public struct IssueComment: Codable, Sendable, Hashable {
    public var id: Int
    public var body: String
    public var htmlURL: String?

    enum CodingKeys: String, CodingKey {
        case id
        case body
        case htmlURL = "html_url"
    }
}
