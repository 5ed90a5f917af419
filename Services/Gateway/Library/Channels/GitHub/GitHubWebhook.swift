import AgentBase
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOFoundationEssentialsCompat

/// `POST /webhooks/github`: verifies `X-Hub-Signature-256` (fails closed without `GITHUB_WEBHOOK_SECRET`),
/// handles each `X-GitHub-Delivery` once, reviews opened and updated pull requests, and answers
/// comments that mention the bot.
public struct GitHubWebhook: Sendable {
    let configuration: GitHubConfiguration
    let chat: ChatService
    let channel: GitHubChannel
    let seen: SeenMarkers
    /// Issues that become pull requests, and review feedback that becomes fix rounds.
    let issues: IssueFlow
    let logger: Logger

    init(configuration: GitHubConfiguration, chat: ChatService, channel: GitHubChannel, seen: SeenMarkers, logger: Logger) {
        self.configuration = configuration
        self.chat = chat
        self.channel = channel
        self.seen = seen
        let api = GitHubAPI(configuration: configuration, http: channel.http)
        self.issues = IssueFlow(configuration: configuration, api: api, chat: chat, channel: channel, store: IssueStore(storage: chat.submitter.storage), logger: logger)
        self.logger = logger
    }

    static let signatureHeader = HTTPField.Name("X-Hub-Signature-256")!
    static let deliveryHeader = HTTPField.Name("X-GitHub-Delivery")!
    static let eventHeader = HTTPField.Name("X-GitHub-Event")!

    func handle(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        guard let secret = configuration.webhookSecret else {
            throw APIError(.unauthorized, "unauthorized", "GITHUB_WEBHOOK_SECRET is not set: GitHub deliveries are refused")
        }
        // The header is looked at before a byte of the body is read: unsigned requests cost nothing.
        guard let signature = request.headers[Self.signatureHeader], signature.hasPrefix("sha256="), signature.count == 71 else {
            throw APIError(.unauthorized, "unauthorized", "missing or malformed X-Hub-Signature-256")
        }
        let body = Data(buffer: try await request.body.collect(upTo: 25 << 20))
        guard Self.verify(signature: signature, body: body, secret: secret) else {
            throw APIError(.unauthorized, "unauthorized", "wrong X-Hub-Signature-256")
        }
        guard let delivery = request.headers[Self.deliveryHeader], !delivery.isEmpty else {
            throw APIError.badRequest("missing X-GitHub-Delivery")
        }
        guard let payload = try? JSONValue(parsing: body), payload.objectValue != nil else { throw APIError.badRequest("the body is not a JSON object") }
        guard try await seen.claim("github", "delivery", delivery) else {
            return try JSONResponse.make(.ok, ["outcome": "duplicate delivery, ignored"])
        }
        do {
            let outcome = try await dispatch(event: request.headers[Self.eventHeader] ?? "", payload: payload)
            return try JSONResponse.make(.ok, ["outcome": outcome])
        } catch {
            // Nothing was published (answering after publishing never throws): GitHub's redelivery may try again.
            await seen.release("github", "delivery", delivery)
            throw error
        }
    }

    /// `sha256=<hex HMAC-SHA256 of the body>`, compared in constant time.
    static func verify(signature: String, body: Data, secret: String) -> Bool {
        guard signature.hasPrefix("sha256="), let expected = Self.bytes(hex: String(signature.dropFirst(7))) else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(expected, authenticating: body, using: SymmetricKey(data: Data(secret.utf8)))
    }

    static func bytes(hex: String) -> [UInt8]? {
        guard hex.count == 64 else { return nil }
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        return bytes
    }

    /// The events Switchboard acts on; a delivery of one of them in the wrong shape is a bad request.
    static let actedOn: Set<String> = ["pull_request", "issue_comment", "issues", "pull_request_review", "pull_request_review_comment"]

    private func dispatch(event: String, payload: JSONValue) async throws -> String {
        guard let repo = payload["repository"]?["full_name"]?.stringValue else {
            if Self.actedOn.contains(event) { throw APIError.badRequest("a \(event) delivery without repository.full_name") }
            return event == "ping" ? "pong" : "ignored: no repository"
        }
        guard configuration.allows(repo) else {
            logger.notice("ignored a delivery from a repository outside GITHUB_ALLOWED_REPOS", metadata: ["repo": "\(repo)", "event": "\(event)"])
            return "ignored: \(repo) is not in GITHUB_ALLOWED_REPOS"
        }
        switch event {
        case "ping":
            return "pong"
        case "pull_request":
            let action = payload["action"]?.stringValue ?? ""
            guard ["opened", "synchronize", "reopened", "ready_for_review"].contains(action) else { return "ignored: pull_request \(action)" }
            guard let number = payload["pull_request"]?["number"]?.intValue ?? payload["number"]?.intValue else {
                throw APIError.badRequest("a pull_request delivery without pull_request.number")
            }
            let origin = Origin(channel: "github", chat: "\(repo)#\(number)")
            let author = payload["pull_request"]?["user"]?["login"]?.stringValue ?? payload["sender"]?["login"]?.stringValue ?? "unknown"
            let head = payload["pull_request"]?["head"]?["repo"]?["full_name"]?.stringValue
            if let head, head.lowercased() != repo.lowercased(), let wait = try await chat.rateLimit(user: author, channel: "github") {
                return "ignored: \(author) reached the rate limit for pull requests from forks (\(wait) left)"
            }
            let reply = try await chat.publish(
                type: PRReviewRequest.type,
                payload: ["repo": .string(repo), "number": .number(Double(number)), "post": true, "trigger": .string(action == "synchronize" ? "pushed" : "opened")],
                origin: origin, text: "pull request #\(number) \(action)", requester: "github:\(author)"
            )
            return reply.task.map { "review queued as task \($0)" } ?? reply.text
        case "issue_comment":
            guard payload["action"]?.stringValue == "created" else { return "ignored: no mention" }
            guard let comment = payload["comment"], let text = comment["body"]?.stringValue, let number = payload["issue"]?["number"]?.intValue else {
                throw APIError.badRequest("an issue_comment delivery without comment.body or issue.number")
            }
            guard comment["user"]?["type"]?.stringValue != "Bot", let request = mentioned(in: text) else { return "ignored: no mention" }
            let origin = Origin(channel: "github", chat: "\(repo)#\(number)", message: comment["id"]?.intValue.map(String.init))
            let user = comment["user"]?["login"]?.stringValue ?? "unknown"
            let association = comment["author_association"]?.stringValue ?? "NONE"
            if payload["issue"]?["pull_request"] != nil, !request.hasPrefix("/"), try await issues.owns(repo, number) {
                let feedback = FixRoundPlanner.Feedback(kind: "comment", id: comment["id"]?.intValue, author: user, body: request)
                return try await issues.fixRound(repo: repo, number: number, feedback: [feedback], actor: user, trusted: configuration.trustedAssociations.contains(association))
            }
            let said = payload["issue"]?["pull_request"] != nil ? ChatRouter.onPullRequest(request, repo: repo, number: number) : request
            let (message, role) = sender(of: comment, origin: origin, text: said, repo: repo)
            guard role != nil else { return Self.untrusted(message, comment) }
            let reply = try await chat.answer(message, via: channel)
            return reply.task.map { "task \($0)" } ?? (reply.approval.map { "approval \($0.id) requested" } ?? "answered")
        case "issues":
            switch try IssueTrigger.decide(payload, repo: repo, triggerLabel: configuration.triggerLabel, botName: configuration.botName) {
            case .start(let request): return try await issues.handle(request)
            case .ignore(let why): return "ignored: \(why)"
            }
        case "pull_request_review":
            guard payload["action"]?.stringValue == "submitted", let review = payload["review"],
                  review["state"]?.stringValue?.lowercased() == "changes_requested" else { return "ignored: not a request for changes" }
            guard let number = payload["pull_request"]?["number"]?.intValue else { throw APIError.badRequest("a pull_request_review delivery without pull_request.number") }
            guard review["user"]?["type"]?.stringValue != "Bot", try await issues.owns(repo, number) else { return "ignored: not a pull request Switchboard opened from an issue" }
            let user = review["user"]?["login"]?.stringValue ?? "unknown"
            let trusted = configuration.trustedAssociations.contains(review["author_association"]?.stringValue ?? "NONE")
            let feedback = try await issues.feedback(ofReview: review, repo: repo, number: number)
            return try await issues.fixRound(repo: repo, number: number, feedback: feedback, actor: user, trusted: trusted)
        case "pull_request_review_comment":
            guard payload["action"]?.stringValue == "created", let comment = payload["comment"] else { return "ignored: pull_request_review_comment \(payload["action"]?.stringValue ?? "")" }
            guard let number = payload["pull_request"]?["number"]?.intValue, comment["body"]?.stringValue != nil else {
                throw APIError.badRequest("a pull_request_review_comment delivery without pull_request.number or comment.body")
            }
            // Comments that are part of a review arrive with the review; a lone one acts when it mentions the bot.
            guard comment["user"]?["type"]?.stringValue != "Bot", let request = mentioned(in: comment["body"]?.stringValue ?? "") else { return "ignored: no mention" }
            // On a pull request Switchboard opened, a mention is feedback for a fix round; elsewhere (or with /ask) a
            // question about the line the comment is on.
            guard request.lowercased().hasPrefix("/ask") == false, try await issues.owns(repo, number) else {
                return try await lineQuestion(request, comment: comment, repo: repo, number: number)
            }
            var feedback = IssueFlow.inline(comment)
            feedback.body = request
            let trusted = configuration.trustedAssociations.contains(comment["author_association"]?.stringValue ?? "NONE")
            return try await issues.fixRound(repo: repo, number: number, feedback: [feedback], actor: feedback.author, trusted: trusted)
        default:
            return "ignored: \(event)"
        }
    }

    /// A question asked in a review comment (`@switchboard <question>` or `/ask <question>`): a `pr.ask` about the
    /// comment's file and line, answered in the comment's thread, for a commenter whose role allows it.
    private func lineQuestion(_ request: String, comment: JSONValue, repo: String, number: Int) async throws -> String {
        let question = request.lowercased().hasPrefix("/ask") ? String(request.dropFirst(4)).trimmingCharacters(in: .whitespaces) : request
        guard !question.isEmpty, !question.hasPrefix("/"), let id = comment["id"]?.intValue, let path = comment["path"]?.stringValue else {
            return "ignored: a review comment answers only questions (@\(configuration.botName) <question>)"
        }
        let origin = Origin(channel: "github", chat: "\(repo)#\(number)", message: String(id))
        let (message, sender) = sender(of: comment, origin: origin, text: question, repo: repo)
        guard let role = sender else { return Self.untrusted(message, comment) }
        let user = message.user
        var fields: [String: JSONValue] = ["repo": .string(repo), "number": .number(Double(number)), "question": .string(question), "post": true, "path": .string(path), "reply_to": .number(Double(id))]
        if let line = comment["line"]?.intValue ?? comment["original_line"]?.intValue { fields["line"] = .number(Double(line)) }
        let payload = JSONValue.object(fields)
        let needed = chat.router.registry.permission(for: PRAskRequest.type, payload: payload)
        guard role.allows(needed) else { return "ignored: a question needs \(needed.rawValue) permission; \(user) is \(role.withArticle)" }
        if let wait = try await chat.rateLimit(user: user, channel: "github") { return "ignored: \(user) reached the rate limit (\(wait) left)" }
        let reply = try await chat.publish(type: PRAskRequest.type, payload: payload, origin: origin, text: question, requester: message.identity)
        return reply.task.map { "question queued as task \($0)" } ?? reply.text
    }

    /// A comment's author as a chat sender, and their role; nil (logged) for someone Switchboard does not act for. No
    /// task and no answer then: a public thread must not become a way to probe what the agents can reach.
    private func sender(of comment: JSONValue, origin: Origin, text: String, repo: String) -> (InboundMessage, Role?) {
        let user = comment["user"]?["login"]?.stringValue ?? "unknown"
        let association = comment["author_association"]?.stringValue ?? "NONE"
        let message = InboundMessage(origin: origin, user: user, text: text, trusted: configuration.trustedAssociations.contains(association))
        let role = chat.role(of: message)
        if role == nil {
            logger.notice("ignored a comment by an untrusted GitHub user", metadata: ["user": "\(user)", "association": "\(association)", "repo": "\(repo)"])
        }
        return (message, role)
    }

    /// The webhook's answer for a comment whose author is not trusted.
    private static func untrusted(_ message: InboundMessage, _ comment: JSONValue) -> String {
        "ignored: \(message.user) (\(comment["author_association"]?.stringValue ?? "NONE")) is not trusted (GITHUB_TRUSTED_ASSOCIATIONS)"
    }

    /// The text after `@<bot>` in a comment, or nil when the bot is not mentioned.
    func mentioned(in text: String) -> String? {
        guard let range = text.range(of: "@\(configuration.botName)", options: .caseInsensitive) else { return nil }
        let rest = text[range.upperBound...].trimmingCharacters(in: .whitespacesAndNewlines)
        return rest.isEmpty ? "/help" : rest
    }
}
