/// `pr.review`: review a forge pull request (`{repo, number}`) or two refs of any git repository (`{repo_url, base, head}`).
public struct PRReviewRequest: AgentMessage, Hashable {
    public typealias Result = PRReviewResult
    public static let type = "pr.review"

    /// `owner/repo` on the forge (with `number`).
    public var repo: String?
    /// Pull request number (with `repo`).
    public var number: Int?
    /// Clone URL of any git repository (with `base` and `head`).
    public var repoURL: String?
    /// Base ref the change is compared against (with `repo_url`).
    public var base: String?
    /// Head ref holding the change (with `repo_url`).
    public var head: String?
    /// Post the findings as a review on the forge; defaults to `false` when absent.
    public var post: Bool
    /// What started the review when a forge event did (`opened` or `pushed`): the reviewed repository's
    /// `.switchboard.yml` then says which commands run (`review.on_open`, `review.on_push`).
    public var trigger: Trigger?

    /// The forge events a review can be started by.
    public enum Trigger: String, Codable, Sendable, Hashable, CaseIterable {
        case opened
        case pushed
    }

    enum CodingKeys: String, CodingKey {
        case repo
        case number
        case repoURL = "repo_url"
        case base
        case head
        case post
        case trigger
    }

    public init(repo: String? = nil, number: Int? = nil, repoURL: String? = nil, base: String? = nil, head: String? = nil, post: Bool = false, trigger: Trigger? = nil) {
        self.repo = repo
        self.number = number
        self.repoURL = repoURL
        self.base = base
        self.head = head
        self.post = post
        self.trigger = trigger
    }

    /// A request for a forge pull request.
    public init(repo: String, number: Int, post: Bool = false) {
        self.init(repo: repo, number: number, repoURL: nil, post: post)
    }

    /// A request for two refs of a git repository.
    public init(repoURL: String, base: String, head: String, post: Bool = false) {
        self.init(repo: nil, number: nil, repoURL: repoURL, base: base, head: head, post: post)
    }

    /// A request for the given target.
    public init(target: Target, post: Bool = false) {
        switch target {
        case .pullRequest(let repo, let number): self.init(repo: repo, number: number, post: post)
        case .refs(let repoURL, let base, let head): self.init(repoURL: repoURL, base: base, head: head, post: post)
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        repo = try container.decodeIfPresent(String.self, forKey: .repo)
        number = try container.decodeIfPresent(Int.self, forKey: .number)
        repoURL = try container.decodeIfPresent(String.self, forKey: .repoURL)
        base = try container.decodeIfPresent(String.self, forKey: .base)
        head = try container.decodeIfPresent(String.self, forKey: .head)
        post = try container.decodeIfPresent(Bool.self, forKey: .post) ?? false
        trigger = try container.decodeIfPresent(Trigger.self, forKey: .trigger)
    }

    /// Checks that the request takes exactly one complete form.
    public func validate() throws(MessageValidationError) {
        _ = try target
    }

    /// Which form of `pr.review` this is.
    public enum Target: Sendable, Hashable {
        /// A pull request on the forge: `{repo, number}`.
        case pullRequest(repo: String, number: Int)
        /// Two refs of any git repository: `{repo_url, base, head}`.
        case refs(repoURL: String, base: String, head: String)
    }

    /// The form of this request; throws a readable error when it is neither or both forms, or a form is incomplete.
    public var target: Target {
        get throws(MessageValidationError) {
            let forgeFields = [repo != nil, number != nil]
            let refFields = [repoURL != nil, base != nil, head != nil]
            let forge = forgeFields.allSatisfy { $0 }
            let refs = refFields.allSatisfy { $0 }
            switch (forge, refs) {
            case (true, true):
                throw MessageValidationError(type: Self.type, message: "give either {repo, number} or {repo_url, base, head}, not both")
            case (true, false):
                if let repo, let number { return .pullRequest(repo: repo, number: number) }
            case (false, true):
                if let repoURL, let base, let head { return .refs(repoURL: repoURL, base: base, head: head) }
            case (false, false):
                break
            }
            if forgeFields.contains(true) {
                let missing = repo == nil ? "\"repo\" (owner/repo) to go with \"number\"" : "\"number\" to go with \"repo\""
                throw MessageValidationError(type: Self.type, message: "missing \(missing)")
            }
            if refFields.contains(true) {
                let missing = [("repo_url", repoURL), ("base", base), ("head", head)].filter { $0.1 == nil }.map { "\"\($0.0)\"" }
                throw MessageValidationError(type: Self.type, message: "missing \(missing.joined(separator: ", ")) for a review of two refs")
            }
            throw MessageValidationError(type: Self.type, message: "give either {repo, number} for a pull request or {repo_url, base, head} for two refs")
        }
    }
}

/// The result of `pr.review`: a summary, the findings, and whether (and where) they were posted.
public struct PRReviewResult: Codable, Sendable, Hashable {
    /// A short readable summary of the review.
    public var summary: String
    /// Individual findings, most severe first.
    public var findings: [Finding]
    /// Whether the review was posted to the forge.
    public var posted: Bool
    /// URL of the posted review, when posted.
    public var reviewURL: String?
    /// The head commit an incremental review started from (a push reviewed only the commits after the head the
    /// posted review covered); absent for a whole review.
    public var since: String?

    enum CodingKeys: String, CodingKey {
        case summary
        case findings
        case posted
        case reviewURL = "review_url"
        case since
    }

    public init(summary: String, findings: [Finding], posted: Bool, reviewURL: String? = nil) {
        self.summary = summary
        self.findings = findings
        self.posted = posted
        self.reviewURL = reviewURL
    }

    /// One review finding at a place in the diff.
    public struct Finding: Codable, Sendable, Hashable {
        /// File path relative to the repository root.
        public var path: String
        /// 1-based line in the new version of the file; absent for findings about the whole file.
        public var line: Int?
        /// How serious the finding is.
        public var severity: Severity
        /// Identifier of the rule that produced it, e.g. `no-debug-print` or `llm`.
        public var rule: String
        /// What is wrong and what to do about it.
        public var message: String

        enum CodingKeys: String, CodingKey {
            case path
            case line
            case severity
            case rule
            case message
        }

        public init(path: String, line: Int? = nil, severity: Severity, rule: String, message: String) {
            self.path = path
            self.line = line
            self.severity = severity
            self.rule = rule
            self.message = message
        }
    }

    /// Severity of a finding: `error`, `warning` or `info`.
    public enum Severity: String, Codable, Sendable, Hashable, CaseIterable {
        case error
        case warning
        case info
    }
}
