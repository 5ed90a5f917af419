import Foundation

/// `pr.improve`: concrete code suggestions for a pull request on the forge (`{repo, number}`) — each a replacement of
/// one line the author can apply with a click — from the rules that have a mechanical fix and, with a model, the
/// model's; posted as one review of suggestion comments when `post`.
public struct PRImproveRequest: AgentMessage, Hashable {
    public typealias Result = PRImproveResult
    public static let type = "pr.improve"

    /// `owner/repo` on the forge.
    public var repo: String
    /// Pull request number.
    public var number: Int
    /// Post the suggestions as a review on the pull request; defaults to `false` when absent.
    public var post: Bool

    public init(repo: String, number: Int, post: Bool = false) {
        self.repo = repo
        self.number = number
        self.post = post
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        repo = try container.decode(String.self, forKey: .repo)
        number = try container.decode(Int.self, forKey: .number)
        post = try container.decodeIfPresent(Bool.self, forKey: .post) ?? false
    }

    enum CodingKeys: String, CodingKey {
        case repo
        case number
        case post
    }

    /// Checks the repository's shape and the number.
    public func validate() throws(MessageValidationError) {
        try PullRequestReference.check(repo: repo, number: number, type: Self.type)
    }
}

/// The result of `pr.improve`: the suggestions, and whether (and where) they were posted.
public struct PRImproveResult: Codable, Sendable, Hashable {
    /// One line to replace, and why.
    public struct Suggestion: Codable, Sendable, Hashable {
        public var path: String
        /// 1-based line in the new file.
        public var line: Int
        /// The line as it should read.
        public var replacement: String
        /// Why.
        public var message: String
        /// `rules` (a rule's mechanical fix) or `model`.
        public var source: String

        public init(path: String, line: Int, replacement: String, message: String, source: String) {
            self.path = path
            self.line = line
            self.replacement = replacement
            self.message = message
            self.source = source
        }
    }

    public var suggestions: [Suggestion]
    /// Whether the suggestions were posted on the pull request.
    public var posted: Bool
    /// URL of the posted review, when posted.
    public var reviewURL: String?
    /// Remarks: that no model was configured, what was left out.
    public var notes: [String]

    enum CodingKeys: String, CodingKey {
        case suggestions
        case posted
        case reviewURL = "review_url"
        case notes
    }

    public init(suggestions: [Suggestion], posted: Bool = false, reviewURL: String? = nil, notes: [String] = []) {
        self.suggestions = suggestions
        self.posted = posted
        self.reviewURL = reviewURL
        self.notes = notes
    }
}
