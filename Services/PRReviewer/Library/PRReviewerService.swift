import AgentBase
import Forge
import Foundation
import GitKit
import Logging

/// The `pr-reviewer` agent: loads a pull request or two refs, runs the offline rules and (when configured) the
/// model, and posts one review on the pull request when asked.
public struct PRReviewerService: SwitchboardService, Sendable {
    public static let name = "pr-reviewer"

    let reviewer: Reviewer
    let knownRules: Set<String>
    let forge: any Forge
    let git: GitServices
    let model: ModelReviewer
    /// Findings below this are not reported unless the repository's `.switchboard.yml` sets its own threshold.
    let minimumSeverity: Severity

    public init(rules: RuleSet, limits: ReviewLimits = ReviewLimits(), forge: any Forge, git: GitServices, model: any LanguageModel, chunkBudget: Int = 24_000, modelParts: Int = 4, minimumSeverity: Severity = .info) {
        self.reviewer = Reviewer(rules: rules, limits: limits)
        self.minimumSeverity = minimumSeverity
        self.knownRules = rules.ids.union([ReviewFinding.modelRule])
        self.forge = forge
        self.git = git
        self.model = ModelReviewer(model: model, chunker: DiffChunker(budget: chunkBudget), maxParts: max(1, modelParts))
    }

    /// The application the `pr-reviewer` executable runs: rules from `REVIEW_RULES` (default `review-rules.yaml`
    /// beside the registry), the forge from `GITHUB_API_URL`/`GITHUB_TOKEN`, git from `WORKSPACE_DIR`, the lowest
    /// severity reported from `REVIEW_MIN_SEVERITY` (`info`, `warning` or `error`; default `info`), model calls per
    /// review from `REVIEW_MODEL_MAX_PARTS` (default 4).
    public static func application(environment: SwitchboardEnvironment, model: any LanguageModel, logger: Logger) throws -> AgentApplication {
        let rulesPath = environment.value("REVIEW_RULES") ?? URL(fileURLWithPath: environment.registryPath).deletingLastPathComponent().appendingPathComponent("review-rules.yaml").path
        let reviewer = PRReviewerService(
            rules: try RuleSet.load(path: rulesPath), forge: try GitHubForge(environment: environment),
            git: try GitServices(environment: environment, agent: name, logger: logger), model: model,
            modelParts: try environment.integer("REVIEW_MODEL_MAX_PARTS", default: 4, minimum: 1),
            minimumSeverity: try minimumSeverity(environment)
        )
        return try AgentApplication(agent: name, environment: environment, logger: logger) { reviewer.register(&$0) }
    }

    /// `REVIEW_MIN_SEVERITY`, or `info` when unset.
    static func minimumSeverity(_ environment: SwitchboardEnvironment) throws(ConfigurationError) -> Severity {
        guard let text = environment.value("REVIEW_MIN_SEVERITY") else { return .info }
        guard let severity = Severity(rawValue: text.lowercased()) else {
            throw ConfigurationError(variable: "REVIEW_MIN_SEVERITY", message: "'\(text)' is not a severity (info, warning or error)")
        }
        return severity
    }

    /// Registers the `pr.review`, `pr.describe`, `pr.ask` and `pr.improve` handlers.
    public func register(_ handlers: inout AgentHandlers) {
        handlers.on(PRReviewRequest.self) { request, context in
            try await GitFailure.readable { try await review(request, context: context) }
        }
        handlers.on(PRDescribeRequest.self) { request, context in
            try await describe(request, context: context)
        }
        handlers.on(PRAskRequest.self) { request, context in
            try await ask(request, context: context)
        }
        handlers.on(PRImproveRequest.self) { request, context in
            try await improve(request, context: context)
        }
    }

    /// Answers a question about a pull request: by the model with the riskiest part of the diff that fits one chunk,
    /// else from what the diff alone can tell; with `post`, as a comment on the pull request.
    public func ask(_ request: PRAskRequest, context: TaskContext) async throws -> PRAskResult {
        await context.progress("reading \(request.repo)#\(request.number)", percent: 10)
        let source = try await load(.pullRequest(repo: request.repo, number: request.number), context: context)
        let report = try reviewer.review(source.files)
        let answerer = DiffAnswerer(rules: reviewer.rules)
        let focus = request.path.flatMap { path in request.line.map { (path: path, number: $0) } }
        var result = PRAskResult(
            question: request.question,
            answer: focus.map { answerer.answer(request.question, on: $0.path, line: $0.number, files: source.files, findings: report.findings) }
                ?? answerer.answer(request.question, files: source.files, findings: report.findings),
            answeredBy: "diff"
        )
        // A question on a line sends that file first; otherwise the riskiest files go first.
        var ordered = RiskOrder.sorted(report.reviewedFiles, findings: report.findings)
        if let path = request.path, let index = ordered.firstIndex(where: { $0.path == path }) { ordered.insert(ordered.remove(at: index), at: 0) }
        if let chunk = model.chunker.chunks(ordered).first {
            let shown = Set(chunk.lines.keys)
            let prompt = AskPrompt(
                question: request.question, title: source.title, description: source.description, chunk: chunk,
                leftOut: report.reviewedFiles.map(\.path).filter { !shown.contains($0) }, line: focus
            )
            await context.progress("asking the model", percent: 40)
            do {
                let answer = try await model.model.complete(system: prompt.system, messages: [.user(prompt.user)])
                result.answer = answer.trimmingCharacters(in: .whitespacesAndNewlines)
                result.answeredBy = "model"
            } catch LanguageModelError.notConfigured {
                // Offline: the diff's answer stands.
            } catch {
                result.answer = "The model could not answer (\(error)). From the diff: " + result.answer
            }
        }
        guard request.post, let pull = source.pullRequest else { return result }
        let answeredBy = result.answeredBy == "model" ? "by the model from the diff" : "from the diff alone"
        let body = "> \(request.question)\n\n\(result.answer)\n\n_Answered \(answeredBy) by Switchboard._"
        if let replyTo = request.replyTo {
            do {
                result.commentURL = try await forge.replyToReviewComment(pull.repository, number: pull.number, commentID: replyTo, body: body).htmlURL
            } catch {
                throw Self.agentError(error)
            }
            result.posted = true
            return result
        }
        result.commentURL = try await comment(body, on: pull)
        result.posted = true
        return result
    }

    /// Posts `body` as a conversation comment on the pull request, or, with a `replacing` marker, updates the comment
    /// that already carries it (one description per pull request, however often it is asked for); returns its URL.
    private func comment(_ body: String, on pull: (repository: RepositoryName, number: Int), replacing marker: String? = nil) async throws -> String? {
        do throws(ForgeError) {
            if let marker, let existing = try await forge.issueComments(pull.repository, number: pull.number).last(where: { $0.body.hasPrefix(marker) }) {
                return try await forge.updateIssueComment(pull.repository, commentID: existing.id, body: body).htmlURL
            }
            return try await forge.createIssueComment(pull.repository, number: pull.number, body: body).htmlURL
        } catch {
            throw Self.agentError(error)
        }
    }

    /// Describes a pull request from its diff and, with `post`, posts the description as a comment on it; with
    /// `into_body`, writes it into the pull request's body (the author's text kept below it).
    public func describe(_ request: PRDescribeRequest, context: TaskContext) async throws -> PRDescribeResult {
        await context.progress("reading \(request.repo)#\(request.number)", percent: 10)
        let source = try await load(.pullRequest(repo: request.repo, number: request.number), context: context)
        var result = PullRequestDescriber(rules: reviewer.rules).describe(source.files, title: source.title)
        if request.intoBody, let pull = source.pullRequest {
            do {
                let updated = try await forge.updatePullRequest(pull.repository, number: pull.number, PullRequestUpdate(body: DescriptionBody.merged(result.body, into: source.description)))
                (result.commentURL, result.posted) = (updated.htmlURL, true)
                return result
            } catch {
                throw Self.agentError(error)
            }
        }
        guard request.post, let pull = source.pullRequest else { return result }
        result.commentURL = try await comment(result.body, on: pull, replacing: PullRequestDescriber.marker)
        result.posted = true
        return result
    }

    /// The change a target names, with forge and diff errors as agent errors a user can act on.
    func load(_ target: PRReviewRequest.Target, context: TaskContext) async throws -> ReviewSource {
        do {
            switch target {
            case .pullRequest(let repo, let number):
                return try await ReviewSource.pullRequest(repo, number: number, forge: forge, policy: git.workspace.git.configuration.policy)
            case .refs(let url, let base, let head):
                return try await ReviewSource.refs(url, base: base, head: head, git: git, context: context)
            }
        } catch let error as ForgeError {
            throw Self.agentError(error)
        } catch let error as DiffParseError {
            throw AgentError.permanent("the diff could not be read: \(error)", code: "bad_diff")
        }
    }

    /// Reviews and, with `post` on a forge pull request, posts the review.
    public func review(_ request: PRReviewRequest, context: TaskContext) async throws -> PRReviewResult {
        let target = try request.target
        if case .pullRequest(let repo, let number) = target { await context.progress("reading \(repo)#\(number)", percent: 5) }
        let source = try await load(target, context: context)
        let config: RepositoryConfig
        do {
            config = try source.configText.map { text throws(ConfigFileError) in
                try RepositoryConfig.parse(text, knownRules: knownRules, minimumSeverity: minimumSeverity)
            } ?? RepositoryConfig(severityThreshold: minimumSeverity)
        } catch {
            throw AgentError.permanent("the reviewed repository's \(error)", code: "bad_config")
        }
        let commands = config.commands(for: request.trigger)
        var described: String?
        if commands.contains(.describe), request.post, let pull = source.pullRequest {
            described = try await comment(PullRequestDescriber(rules: reviewer.rules).describe(source.files, title: source.title).body, on: pull, replacing: PullRequestDescriber.marker)
        }
        var improved: String?
        if commands.contains(.improve), request.post, source.pullRequest != nil {
            let suggestions = try await improve(source, post: true, context: context)
            improved = suggestions.reviewURL.map { "\(Plural.count(suggestions.suggestions.count, "suggestion")) posted: \($0)" } ?? "no suggestions"
        }
        guard commands.contains(.review) else {
            let on = request.trigger == .opened ? "on_open" : "on_push"
            let done = [described.map { "Described the pull request (\($0))" }, improved.map { "Suggested changes (\($0))" }].compactMap { $0 }
            let what = (done + ["Not reviewed"]).joined(separator: "; ").replacingOccurrences(of: "; Not", with: "; not")
            return PRReviewResult(summary: "\(what): the repository's .switchboard.yml review.\(on) does not list review.", findings: [], posted: described != nil || improved != nil, reviewURL: described)
        }
        // A push to a pull request reviewed before: only the commits since the head that review covered.
        var files = source.files
        var since: String?
        if request.trigger == .pushed, request.post, let pull = source.pullRequest {
            do {
                if let increment = try await IncrementalReview(forge: forge).increment(of: pull, head: source.headSHA, pullFiles: source.files) {
                    (files, since) = (increment.files, increment.since)
                }
            } catch {
                throw Self.agentError(error)
            }
        }
        await context.progress("checking \(files.count) files against \(reviewer.rules.rules.count) rules", percent: 30)
        var report = try reviewer.review(files, config: config)
        if let since { report.notes.append("Reviewed only the commits after \(since.prefix(12)), the head reviewed before.") }
        if let described { report.notes.append("The description was posted: \(described).") }
        if let improved { report.notes.append("Suggestions: \(improved).") }
        await model.review(&report, title: source.title, description: source.description, context: context)
        guard request.post else { return report.result(posted: false) }
        guard let pull = source.pullRequest else {
            report.notes.append("Not posted: a review of two refs has no pull request to post on.")
            return report.result(posted: false)
        }
        await context.progress("posting the review", percent: 90)
        do {
            let url = try await ReviewPoster(forge: forge).post(report, to: pull.repository, number: pull.number, headSHA: source.headSHA, since: since)
            var result = report.result(posted: true, reviewURL: url)
            result.since = since
            return result
        } catch {
            throw Self.agentError(error)
        }
    }

    /// Forge errors as the runner understands them: server trouble and rate limits retry, the rest is an answer.
    static func agentError(_ error: ForgeError) -> AgentError {
        if error.isRetryable { return .retryable(error.description) }
        if case .http(404, _, _) = error {
            return .permanent("not found on the forge: \(error.description); check repo and number (and GITHUB_TOKEN for a private repository)", code: "not_found")
        }
        return .permanent(error.description, code: "forge_error")
    }
}
