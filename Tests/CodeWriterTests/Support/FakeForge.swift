import AgentBase
import Foundation
import Hummingbird
import SwitchboardTesting
import Synchronization

/// A local HTTP server playing GitHub's pull-request endpoints with state: `POST /repos/{o}/{r}/pulls` opens a PR
/// (422 `Validation Failed` when the head already has an open one, as GitHub answers), `PATCH …/pulls/{n}` changes its
/// title and body, and `GET …/pulls?head=o:b&state=open`
/// finds it. It records what it gets; `failNext` makes a route answer 503 (`retry-after: 0`), `loseNextCreate` opens
/// the PR but answers 502, as when GitHub's answer is lost on the way.
final class FakeForge: Sendable {
    /// One request as received.
    struct Received: Sendable, Hashable {
        var method: String
        var path: String
        var query: String
        var body: String
    }

    /// A pull request the fake holds.
    struct Pull: Sendable, Hashable {
        var number: Int
        var repository: String
        var title: String
        var head: String
        var base: String
        var body: String
    }

    /// What the routes share.
    final class State: Sendable {
        let received = Mutex<[Received]>([])
        let pulls = Mutex<[Pull]>([])
        /// Routes (`GET pulls`, `POST pulls`) and how many of their next requests answer 503.
        let failures = Mutex<[String: Int]>([:])
        let loseCreates = Mutex(0)
    }

    let state = State()
    let server: LocalServer

    init() {
        let state = self.state
        let router = Router()
        router.get("/repos/{owner}/{repo}/pulls") { request, context -> Response in
            let repository = Self.repository(context)
            state.record(request, body: "")
            if state.fails("GET pulls") { return Self.unavailable() }
            let head = request.uri.queryParameters["head"].map(String.init) ?? ""
            let open = state.pulls.withLock { $0 }.filter { "\($0.repository.split(separator: "/")[0]):\($0.head)" == head && $0.repository == repository }
            return Self.json(200, "[" + open.map(Self.render).joined(separator: ",") + "]")
        }
        router.post("/repos/{owner}/{repo}/pulls") { request, context -> Response in
            var request = request
            let body = String(buffer: try await request.collectBody(upTo: 1 << 20))
            state.record(request, body: body)
            if state.fails("POST pulls") { return Self.unavailable() }
            let fields = try JSONValue(parsing: body)
            let repository = Self.repository(context)
            let head = fields["head"]?.stringValue ?? ""
            let created: Pull? = state.pulls.withLock { pulls in
                guard !pulls.contains(where: { $0.repository == repository && $0.head == head }) else { return nil }
                let pull = Pull(number: pulls.count + 1, repository: repository, title: fields["title"]?.stringValue ?? "", head: head,
                                base: fields["base"]?.stringValue ?? "", body: fields["body"]?.stringValue ?? "")
                pulls.append(pull)
                return pull
            }
            guard let created else {
                return Self.json(422, #"{"message":"Validation Failed","errors":[{"resource":"PullRequest","code":"custom","message":"A pull request already exists for \#(head)."}]}"#)
            }
            if state.loseCreates.withLock({ count in defer { count = max(0, count - 1) }; return count > 0 }) {
                return Self.json(502, #"{"message":"Server Error"}"#)
            }
            return Self.json(201, Self.render(created))
        }
        router.patch("/repos/{owner}/{repo}/pulls/{number}") { request, context -> Response in
            var request = request
            let body = String(buffer: try await request.collectBody(upTo: 1 << 20))
            state.record(request, body: body)
            let fields = try JSONValue(parsing: body)
            let number = Int(context.parameters.get("number") ?? "") ?? 0
            let updated: Pull? = state.pulls.withLock { pulls in
                guard let index = pulls.firstIndex(where: { $0.number == number && $0.repository == Self.repository(context) }) else { return nil }
                if let title = fields["title"]?.stringValue { pulls[index].title = title }
                if let body = fields["body"]?.stringValue { pulls[index].body = body }
                return pulls[index]
            }
            guard let updated else { return Self.json(404, #"{"message":"Not Found"}"#) }
            return Self.json(200, Self.render(updated))
        }
        server = LocalServer(router: router)
    }

    var url: String { server.url }
    var requests: [Received] { state.received.withLock { $0 } }
    var pulls: [Pull] { state.pulls.withLock { $0 } }

    /// The next `count` requests of `route` (`GET pulls` or `POST pulls`) answer 503 with `retry-after: 0`.
    func failNext(_ route: String, count: Int) {
        state.failures.withLock { $0[route] = count }
    }

    /// The next `count` creates open the PR but answer 502.
    func loseNextCreate(count: Int = 1) {
        state.loseCreates.withLock { $0 = count }
    }

    static func url(of pull: Pull) -> String {
        "https://github.example/\(pull.repository)/pull/\(pull.number)"
    }

    private static func render(_ pull: Pull) -> String {
        let object: JSONValue = [
            "number": .number(Double(pull.number)), "title": .string(pull.title), "state": "open", "html_url": .string(url(of: pull)),
            "head": ["ref": .string(pull.head), "sha": .string(String(repeating: "b", count: 40))],
            "base": ["ref": .string(pull.base), "sha": .string(String(repeating: "a", count: 40))],
        ]
        return object.jsonString
    }

    private static func repository(_ context: BasicRequestContext) -> String {
        "\(context.parameters.get("owner") ?? "")/\(context.parameters.get("repo") ?? "")"
    }

    private static func unavailable() -> Response {
        var response = json(503, #"{"message":"try again later"}"#)
        response.headers[.retryAfter] = "0"
        return response
    }

    private static func json(_ status: Int, _ body: String) -> Response {
        Response(status: .init(code: status), headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}

extension FakeForge.State {
    func record(_ request: Request, body: String) {
        received.withLock { $0.append(FakeForge.Received(method: request.method.rawValue, path: request.uri.path, query: request.uri.query ?? "", body: body)) }
    }

    /// Whether this request of `route` is one told to fail (and counts it).
    func fails(_ route: String) -> Bool {
        failures.withLock { failures in
            guard let left = failures[route], left > 0 else { return false }
            failures[route] = left - 1
            return true
        }
    }
}
