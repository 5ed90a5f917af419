import AgentBase
import Foundation
import Hummingbird
import NIOFoundationEssentialsCompat
import SwitchboardTesting
import Synchronization

/// A local HTTP server playing GitHub's REST API for one pull request: its metadata, files (patches given by the
/// test), `.switchboard.yml` through the contents API (per ref), and reviews that it keeps and records (create, list,
/// update, list and delete inline comments).
final class FakePullRequestAPI: Sendable {
    /// A review as the fake keeps it.
    struct StoredReview: Sendable, Hashable {
        var id: Int
        var body: String
        var commitID: String
        var comments: [JSONValue]
    }

    /// The fake's state, shared with its routes.
    final class State: Sendable {
        let files = Mutex<String>("[]")
        /// `.switchboard.yml` by the ref (commit) it is asked for at.
        let configs = Mutex<[String: String]>([:])
        let reviews = Mutex<[StoredReview]>([])
        let deletedComments = Mutex<[Int]>([])
        let updates = Mutex<[(id: Int, body: String)]>([])
        let authorizations = Mutex<[String]>([])
        /// Conversation comments posted, by pull request number.
        let comments = Mutex<[(number: Int, body: String)]>([])
        /// The pull request's head commit now.
        let head = Mutex(FakePullRequestAPI.headSHA)
        /// The pull request's body (its author's description), changed by `PATCH …/pulls/{n}`.
        let body = Mutex("Adds the importer.\n\nCloses #3")
        /// What `compare/{base}...{head}` answers (`status`, `files`), and the comparisons asked for.
        let comparison = Mutex<(status: String, files: String)>(("ahead", "[]"))
        let compared = Mutex<[String]>([])
        /// Replies posted in review comment threads: the comment answered and the body.
        let replies = Mutex<[(comment: Int, body: String)]>([])
    }

    static let headSHA = String(repeating: "c", count: 40)
    static let baseSHA = String(repeating: "a", count: 40)
    let state = State()
    let server: LocalServer

    init() {
        let router = Router()
        let state = self.state
        router.middlewares.add(AuthorizationRecorder(state: state))
        router.get("/repos/{owner}/{repo}/pulls/{number}") { _, context -> Response in
            let number = context.parameters.get("number") ?? "0"
            guard number != "404" else { return Self.json(404, #"{"message":"Not Found"}"#) }
            return Self.json(200, #"{"number":\#(number),"title":"Add the importer","body":\#(JSONValue.string(state.body.withLock { $0 }).jsonString),"state":"open","html_url":"https://github.example/acme/widgets/pull/\#(number)","head":{"ref":"feature","sha":"\#(state.head.withLock { $0 })","repo":{"full_name":"acme/widgets","clone_url":"https://github.example/acme/widgets.git"}},"base":{"ref":"main","sha":"\#(Self.baseSHA)","repo":null}}"#)
        }
        router.get("/repos/{owner}/{repo}/pulls/{number}/files") { request, _ -> Response in
            let page = request.uri.queryParameters["page"].flatMap { Int(String($0)) } ?? 1
            return Self.json(200, page == 1 ? state.files.withLock { $0 } : "[]")
        }
        router.patch("/repos/{owner}/{repo}/pulls/{number}") { request, context -> Response in
            let fields = try JSONValue(parsing: Data(buffer: try await request.body.collect(upTo: 1 << 20)))
            if let body = fields["body"]?.stringValue { state.body.withLock { $0 = body } }
            let number = context.parameters.get("number") ?? "0"
            return Self.json(200, #"{"number":\#(number),"title":"Add the importer","state":"open","html_url":"https://github.example/acme/widgets/pull/\#(number)","head":{"ref":"feature","sha":"\#(Self.headSHA)","repo":null},"base":{"ref":"main","sha":"\#(Self.baseSHA)","repo":null}}"#)
        }
        router.post("/repos/{owner}/{repo}/pulls/{number}/comments/{id}/replies") { request, context -> Response in
            let id = Int(context.parameters.get("id") ?? "") ?? 0
            let body = try JSONValue(parsing: Data(buffer: try await request.body.collect(upTo: 1 << 20)))["body"]?.stringValue ?? ""
            state.replies.withLock { $0.append((id, body)) }
            return Self.json(201, #"{"id":\#(90000 + id),"path":"x","line":1,"body":"reply","html_url":"https://github.example/acme/widgets/pull/7#discussion_r\#(90000 + id)"}"#)
        }
        router.get("/repos/{owner}/{repo}/compare/{basehead}") { _, context -> Response in
            state.compared.withLock { $0.append(context.parameters.get("basehead") ?? "") }
            let (status, files) = state.comparison.withLock { $0 }
            return Self.json(200, #"{"status":"\#(status)","files":\#(files)}"#)
        }
        router.get("/repos/{owner}/{repo}/contents/{path}") { request, _ -> Response in
            let ref = request.uri.queryParameters["ref"].map(String.init) ?? "main"
            guard let config = state.configs.withLock({ $0[ref] }) else { return Self.json(404, #"{"message":"Not Found"}"#) }
            return Self.json(200, JSONValue.object(["content": .string(Data(config.utf8).base64EncodedString()), "encoding": "base64"]).jsonString)
        }
        router.get("/repos/{owner}/{repo}/pulls/{number}/reviews") { _, _ -> Response in
            let reviews = state.reviews.withLock { $0 }.map { Self.reviewJSON($0) }
            return Self.json(200, "[" + reviews.joined(separator: ",") + "]")
        }
        router.post("/repos/{owner}/{repo}/pulls/{number}/reviews") { request, _ -> Response in
            let body = try JSONValue(parsing: Data(buffer: try await request.body.collect(upTo: 1 << 20)))
            let review = state.reviews.withLock { reviews in
                let review = StoredReview(id: 700 + reviews.count, body: body["body"]?.stringValue ?? "", commitID: body["commit_id"]?.stringValue ?? "", comments: body["comments"]?.arrayValue ?? [])
                reviews.append(review)
                return review
            }
            return Self.json(200, Self.reviewJSON(review))
        }
        router.put("/repos/{owner}/{repo}/pulls/{number}/reviews/{id}") { request, context -> Response in
            let id = Int(context.parameters.get("id") ?? "") ?? 0
            let body = try JSONValue(parsing: Data(buffer: try await request.body.collect(upTo: 1 << 20)))["body"]?.stringValue ?? ""
            state.updates.withLock { $0.append((id, body)) }
            let review = state.reviews.withLock { reviews -> StoredReview? in
                guard let index = reviews.firstIndex(where: { $0.id == id }) else { return nil }
                reviews[index].body = body
                return reviews[index]
            }
            return review.map { Self.json(200, Self.reviewJSON($0)) } ?? Self.json(404, #"{"message":"Not Found"}"#)
        }
        router.get("/repos/{owner}/{repo}/pulls/{number}/reviews/{id}/comments") { _, context -> Response in
            let id = Int(context.parameters.get("id") ?? "") ?? 0
            let comments = state.reviews.withLock { $0.first { $0.id == id }?.comments ?? [] }
            let rendered = comments.enumerated().map { index, comment in
                #"{"id":\#(id * 100 + index),"pull_request_review_id":\#(id),"path":"\#(comment["path"]?.stringValue ?? "")","line":\#(comment["line"]?.intValue ?? 0),"body":"finding"}"#
            }
            return Self.json(200, "[" + rendered.joined(separator: ",") + "]")
        }
        router.post("/repos/{owner}/{repo}/issues/{number}/comments") { request, context -> Response in
            let number = Int(context.parameters.get("number") ?? "") ?? 0
            let body = try JSONValue(parsing: Data(buffer: try await request.body.collect(upTo: 1 << 20)))["body"]?.stringValue ?? ""
            let id = state.comments.withLock { comments in
                comments.append((number, body))
                return 900 + comments.count
            }
            return Self.json(201, Self.commentJSON(id: id, number: number, body: body))
        }
        router.get("/repos/{owner}/{repo}/issues/{number}/comments") { _, context -> Response in
            let number = Int(context.parameters.get("number") ?? "") ?? 0
            let listed = state.comments.withLock { comments in
                comments.enumerated().filter { $0.element.number == number }.map { Self.commentJSON(id: 901 + $0.offset, number: number, body: $0.element.body) }
            }
            return Self.json(200, "[" + listed.joined(separator: ",") + "]")
        }
        router.patch("/repos/{owner}/{repo}/issues/comments/{id}") { request, context -> Response in
            let id = Int(context.parameters.get("id") ?? "") ?? 0
            let body = try JSONValue(parsing: Data(buffer: try await request.body.collect(upTo: 1 << 20)))["body"]?.stringValue ?? ""
            let number = state.comments.withLock { comments -> Int? in
                guard comments.indices.contains(id - 901) else { return nil }
                comments[id - 901].body = body
                return comments[id - 901].number
            }
            guard let number else { return Self.json(404, #"{"message":"Not Found"}"#) }
            return Self.json(200, Self.commentJSON(id: id, number: number, body: body))
        }
        router.delete("/repos/{owner}/{repo}/pulls/comments/{id}") { _, context -> Response in
            state.deletedComments.withLock { $0.append(Int(context.parameters.get("id") ?? "") ?? 0) }
            return Response(status: .noContent)
        }
        server = LocalServer(router: router)
    }

    var url: String { server.url }

    /// Serves these files (GitHub's PR files objects) for the pull request.
    /// Moves the pull request's head to `sha`; `compare` then answers `status` with `files`.
    func push(_ sha: String, status: String = "ahead", files: [JSONValue]) {
        state.head.withLock { $0 = sha }
        state.comparison.withLock { $0 = (status, JSONValue.array(files).jsonString) }
    }

    func setFiles(_ files: [JSONValue]) {
        state.files.withLock { $0 = JSONValue.array(files).jsonString }
    }

    static func file(_ path: String, patch: String, status: String = "modified", additions: Int = 1) -> JSONValue {
        ["filename": .string(path), "status": .string(status), "additions": .number(Double(additions)), "deletions": 0, "changes": .number(Double(additions)), "patch": .string(patch)]
    }

    private static func reviewJSON(_ review: StoredReview) -> String {
        JSONValue.object([
            "id": .number(Double(review.id)), "body": .string(review.body), "state": "COMMENTED", "commit_id": .string(review.commitID),
            "html_url": .string("https://github.example/acme/widgets/pull/7#pullrequestreview-\(review.id)"), "user": ["login": "switchboard"],
        ]).jsonString
    }

    private static func commentJSON(id: Int, number: Int, body: String) -> String {
        JSONValue.object(["id": .number(Double(id)), "body": .string(body), "html_url": .string("https://github.example/acme/widgets/pull/\(number)#issuecomment-\(id)")]).jsonString
    }

    private static func json(_ status: Int, _ body: String) -> Response {
        Response(status: .init(code: status), headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    /// Records the Authorization header of every request.
    struct AuthorizationRecorder: RouterMiddleware {
        let state: State

        func handle(_ request: Request, context: BasicRequestContext, next: (Request, BasicRequestContext) async throws -> Response) async throws -> Response {
            state.authorizations.withLock { $0.append(request.headers[.authorization] ?? "") }
            return try await next(request, context)
        }
    }
}
