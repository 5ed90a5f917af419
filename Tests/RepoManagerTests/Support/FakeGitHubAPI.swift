import AgentBase
import Foundation
import Hummingbird
import SwitchboardTesting
import Synchronization

/// A local HTTP server speaking GitHub's REST wire format for pull requests, their files and reviews; it records the
/// requests it gets. `fail(_:)` makes the next calls answer with an error status and a `retry-after`.
final class FakeGitHubAPI: Sendable {
    struct Received: Sendable, Hashable {
        var method: String
        var path: String
        var query: String
        var headers: [String: String]
        var body: String
    }

    /// What the fake has received and the failures it is told to answer with, shared with its routes.
    final class Log: Sendable {
        let received = Mutex<[Received]>([])
        /// Status codes (and `retry-after` seconds) to answer the next requests with, first first.
        let failures = Mutex<[(status: Int, retryAfter: Int)]>([])
    }

    let log = Log()
    let server: LocalServer
    static let fileCount = 205

    init() {
        let router = Router()
        router.middlewares.add(Recorder(log: log))
        router.get("/repos/{owner}/{repo}/pulls/{number}") { _, context -> Response in
            Self.json(200, Self.pull(number: context.parameters.get("number") ?? "0"))
        }
        router.post("/repos/{owner}/{repo}/pulls") { _, _ -> Response in
            Self.json(201, Self.pull(number: "8"))
        }
        router.get("/repos/{owner}/{repo}/pulls/{number}/reviews/{id}/comments") { _, context -> Response in
            Self.json(200, #"[{"id":501,"pull_request_review_id":\#(context.parameters.get("id") ?? "0"),"path":"src/a.swift","line":12,"body":"a finding"},{"id":502,"pull_request_review_id":80,"path":"old.swift","line":null,"body":"outdated"}]"#)
        }
        router.delete("/repos/{owner}/{repo}/pulls/comments/{id}") { _, _ -> Response in
            Response(status: .noContent)
        }
        router.get("/repos/{owner}/{repo}/pulls/{number}/files") { request, _ -> Response in
            let page = request.uri.queryParameters["page"].flatMap { Int(String($0)) } ?? 1
            let perPage = request.uri.queryParameters["per_page"].flatMap { Int(String($0)) } ?? 30
            let range = ((page - 1) * perPage)..<min(page * perPage, Self.fileCount)
            let files = range.map { index in
                index == 0 ? #"{"filename":"logo.png","status":"added","additions":0,"deletions":0,"changes":0}"#
                    : #"{"filename":"src/file\#(index).swift","status":"modified","additions":2,"deletions":1,"changes":3,"patch":"@@ -1 +1,2 @@\n-a\n+b\n+c"}"#
            }
            return Self.json(200, "[" + files.joined(separator: ",") + "]")
        }
        router.post("/repos/{owner}/{repo}/pulls/{number}/reviews") { _, _ -> Response in
            Self.json(200, #"{"id":80,"body":"summary","state":"COMMENTED","html_url":"https://github.example/pr/7#pullrequestreview-80","commit_id":"\#(String(repeating: "b", count: 40))","user":{"login":"switchboard"}}"#)
        }
        router.put("/repos/{owner}/{repo}/pulls/{number}/reviews/{id}") { _, context -> Response in
            Self.json(200, #"{"id":\#(context.parameters.get("id") ?? "0"),"body":"updated","state":"COMMENTED"}"#)
        }
        router.get("/repos/{owner}/{repo}/pulls") { request, _ -> Response in
            request.uri.queryParameters["head"] == "example-org:feature" ? Self.json(200, "[]") : Self.json(404, #"{"message":"Not Found"}"#)
        }
        server = LocalServer(router: router)
    }

    var url: String { server.url }
    var requests: [Received] { log.received.withLock { $0 } }

    /// Answers the next requests with these statuses and `retry-after` seconds (none when negative).
    func fail(_ failures: [(status: Int, retryAfter: Int)]) {
        log.failures.withLock { $0 = failures }
    }

    static func pull(number: String) -> String {
        #"{"number":\#(number),"title":"Add things","state":"open","html_url":"https://github.example/pr/\#(number)","head":{"ref":"feature","sha":"\#(String(repeating: "b", count: 40))","repo":{"full_name":"example-org/example-repo","clone_url":"https://github.example/example-org/example-repo.git"}},"base":{"ref":"main","sha":"\#(String(repeating: "a", count: 40))","repo":null}}"#
    }

    static func json(_ status: Int, _ body: String) -> Response {
        Response(status: .init(code: status), headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    /// Records every request and answers the queued failures before any route.
    struct Recorder: RouterMiddleware {
        let log: Log

        func handle(_ request: Request, context: BasicRequestContext, next: (Request, BasicRequestContext) async throws -> Response) async throws -> Response {
            var request = request
            let body = String(buffer: try await request.collectBody(upTo: 1 << 20))
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName.lowercased()] = field.value }
            log.received.withLock { $0.append(Received(method: request.method.rawValue, path: request.uri.path, query: request.uri.query ?? "", headers: headers, body: body)) }
            if let failure = log.failures.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) {
                var response = FakeGitHubAPI.json(failure.status, #"{"message":"try again later"}"#)
                if failure.retryAfter >= 0 { response.headers[.retryAfter] = String(failure.retryAfter) }
                return response
            }
            return try await next(request, context)
        }
    }
}
