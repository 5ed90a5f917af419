import Foundation

/// `pr.ask`: a question about a pull request on the forge (`{repo, number, question}`), answered from its diff — by
/// the model when one is configured, else from what the diff alone can tell — and posted as a comment when `post`.
public struct PRAskRequest: AgentMessage, Hashable {
    public typealias Result = PRAskResult
    public static let type = "pr.ask"

    /// `owner/repo` on the forge.
    public var repo: String
    /// Pull request number.
    public var number: Int
    /// The question, in plain words.
    public var question: String
    /// Post the answer as a comment on the pull request; defaults to `false` when absent.
    public var post: Bool
    /// The file a question on a line is about (asked in a review comment).
    public var path: String?
    /// The line of `path` in the new file.
    public var line: Int?
    /// The review comment the question was asked in: a posted answer is a reply in its thread.
    public var replyTo: Int?

    public init(repo: String, number: Int, question: String, post: Bool = false, path: String? = nil, line: Int? = nil, replyTo: Int? = nil) {
        self.repo = repo
        self.number = number
        self.question = question
        self.post = post
        self.path = path
        self.line = line
        self.replyTo = replyTo
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        repo = try container.decode(String.self, forKey: .repo)
        number = try container.decode(Int.self, forKey: .number)
        question = try container.decode(String.self, forKey: .question)
        post = try container.decodeIfPresent(Bool.self, forKey: .post) ?? false
        path = try container.decodeIfPresent(String.self, forKey: .path)
        line = try container.decodeIfPresent(Int.self, forKey: .line)
        replyTo = try container.decodeIfPresent(Int.self, forKey: .replyTo)
    }

    enum CodingKeys: String, CodingKey {
        case repo
        case number
        case question
        case post
        case path
        case line
        case replyTo = "reply_to"
    }

    /// Checks the pull request reference and that there is a question of at most 2,000 characters.
    public func validate() throws(MessageValidationError) {
        try PullRequestReference.check(repo: repo, number: number, type: Self.type)
        let words = question.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !words.isEmpty, words.count <= 2_000 else {
            throw MessageValidationError(type: Self.type, message: "\"question\" must be 1 to 2,000 characters")
        }
        if line != nil, path == nil { throw MessageValidationError(type: Self.type, message: "/line: a line needs the path it is in") }
    }
}

/// The result of `pr.ask`: the question, the answer, who answered it, and whether (and where) it was posted.
public struct PRAskResult: Codable, Sendable, Hashable {
    public var question: String
    public var answer: String
    /// `model`, or `diff` when the answer comes from what the diff alone can tell.
    public var answeredBy: String
    /// Whether the answer was posted on the pull request.
    public var posted: Bool
    /// URL of the posted comment, when posted.
    public var commentURL: String?

    enum CodingKeys: String, CodingKey {
        case question
        case answer
        case answeredBy = "answered_by"
        case posted
        case commentURL = "comment_url"
    }

    public init(question: String, answer: String, answeredBy: String, posted: Bool = false, commentURL: String? = nil) {
        self.question = question
        self.answer = answer
        self.answeredBy = answeredBy
        self.posted = posted
        self.commentURL = commentURL
    }
}
