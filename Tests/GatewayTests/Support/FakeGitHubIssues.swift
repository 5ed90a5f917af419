import AgentBase
import Foundation
import Hummingbird
import NIOFoundationEssentialsCompat
import SwitchboardTesting
import Synchronization

/// A local HTTP server playing GitHub's REST API for issue-driven work, with state: a repository (its `clone_url`),
/// people's permissions, issue and pull-request conversation comments with every edit kept, pull requests' state,
/// reviews' inline comments, and replies to them.
final class FakeGitHubIssues: Sendable {
    /// A conversation comment and each body it has had, oldest first.
    struct Comment: Sendable, Hashable {
        var id: Int
        var number: Int
        var login: String
        var bodies: [String]
        var body: String { bodies.last ?? "" }
    }

    /// What the routes share.
    final class State: Sendable {
        let cloneURL: String
        let permissions = Mutex<[String: String]>([:])
        let comments = Mutex<[Comment]>([])
        let pulls = Mutex<[Int: String]>([:])
        let reviewComments = Mutex<[Int: [JSONValue]]>([:])
        let replies = Mutex<[(comment: Int, body: String)]>([])
        let nextID = Atomic<Int>(5000)

        init(cloneURL: String) {
            self.cloneURL = cloneURL
        }
    }

    let state: State
    let server: LocalServer
    /// The login the token comments as.
    static let botLogin = "switchboard-bot"

    init(cloneURL: String) {
        let state = State(cloneURL: cloneURL)
        self.state = state
        let router = Router()
        router.get("/repos/{owner}/{repo}") { _, context -> Response in
            let name = "\(context.parameters.get("owner") ?? "")/\(context.parameters.get("repo") ?? "")"
            return Self.json(200, ["full_name": .string(name), "clone_url": .string(state.cloneURL), "default_branch": "main"])
        }
        router.get("/repos/{owner}/{repo}/collaborators/{login}/permission") { _, context -> Response in
            let permission = state.permissions.withLock { $0[context.parameters.get("login") ?? ""] } ?? "none"
            return Self.json(200, ["permission": .string(permission == "maintain" ? "write" : permission), "role_name": .string(permission)])
        }
        router.get("/repos/{owner}/{repo}/issues/{number}/comments") { _, context -> Response in
            let number = Int(context.parameters.get("number") ?? "") ?? 0
            let list = state.comments.withLock { $0 }.filter { $0.number == number }.map(Self.render)
            return Self.json(200, .array(list))
        }
        router.post("/repos/{owner}/{repo}/issues/{number}/comments") { request, context -> Response in
            let body = try await Self.body(request)
            let comment = Comment(id: state.nextID.add(1, ordering: .relaxed).oldValue, number: Int(context.parameters.get("number") ?? "") ?? 0, login: Self.botLogin, bodies: [body["body"]?.stringValue ?? ""])
            state.comments.withLock { $0.append(comment) }
            return Self.json(201, Self.render(comment))
        }
        router.patch("/repos/{owner}/{repo}/issues/comments/{id}") { request, context -> Response in
            let body = try await Self.body(request)
            let id = Int(context.parameters.get("id") ?? "") ?? 0
            let edited: Comment? = state.comments.withLock { comments in
                guard let index = comments.firstIndex(where: { $0.id == id }) else { return nil }
                comments[index].bodies.append(body["body"]?.stringValue ?? "")
                return comments[index]
            }
            guard let edited else { return Self.json(404, ["message": "Not Found"]) }
            return Self.json(200, Self.render(edited))
        }
        router.get("/repos/{owner}/{repo}/pulls/{number}") { _, context -> Response in
            let number = Int(context.parameters.get("number") ?? "") ?? 0
            guard let open = state.pulls.withLock({ $0[number] }) else { return Self.json(404, ["message": "Not Found"]) }
            return Self.json(200, ["number": .number(Double(number)), "state": .string(open)])
        }
        router.get("/repos/{owner}/{repo}/pulls/{number}/reviews/{review}/comments") { _, context -> Response in
            let review = Int(context.parameters.get("review") ?? "") ?? 0
            return Self.json(200, .array(state.reviewComments.withLock { $0[review] } ?? []))
        }
        router.post("/repos/{owner}/{repo}/pulls/{number}/comments/{id}/replies") { request, context -> Response in
            let body = try await Self.body(request)
            let id = Int(context.parameters.get("id") ?? "") ?? 0
            state.replies.withLock { $0.append((id, body["body"]?.stringValue ?? "")) }
            return Self.json(201, ["id": .number(Double(state.nextID.add(1, ordering: .relaxed).oldValue)), "in_reply_to_id": .number(Double(id))])
        }
        server = LocalServer(router: router)
    }

    var url: String { server.url }
    var comments: [Comment] { state.comments.withLock { $0 } }
    var replies: [(comment: Int, body: String)] { state.replies.withLock { $0 } }

    /// A comment someone else wrote on issue `number`.
    func addComment(_ number: Int, login: String, body: String) {
        state.comments.withLock { $0.append(Comment(id: state.nextID.add(1, ordering: .relaxed).oldValue, number: number, login: login, bodies: [body])) }
    }

    private static func render(_ comment: Comment) -> JSONValue {
        ["id": .number(Double(comment.id)), "body": .string(comment.body), "user": ["login": .string(comment.login), "type": "User"]]
    }

    private static func body(_ request: Request) async throws -> JSONValue {
        (try? JSONValue(parsing: Data(buffer: try await request.body.collect(upTo: 1 << 20)))) ?? [:]
    }

    static func json(_ status: Int, _ value: JSONValue) -> Response {
        Response(status: .init(code: status), headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: value.jsonString)))
    }
}
