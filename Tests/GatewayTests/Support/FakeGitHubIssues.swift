import AgentBase
import Foundation
import Hummingbird
import NIOFoundationEssentialsCompat
import SwitchboardTesting
import Synchronization

/// A local HTTP server playing GitHub's REST API for issue-driven work, with state: a repository (its `clone_url`),
/// people's permissions, issue and pull-request conversation comments with every edit kept, pull requests (opened
/// through the API, found by head, their files computed with git from the bare repository the clone URL names),
/// reviews posted and updated, reviews' inline comments, and replies to them.
final class FakeGitHubIssues: Sendable {
    /// A conversation comment and each body it has had, oldest first.
    struct Comment: Sendable, Hashable {
        var id: Int
        var number: Int
        var login: String
        var bodies: [String]
        var body: String { bodies.last ?? "" }
    }

    /// A pull request the stand-in holds.
    struct Pull: Sendable, Hashable {
        var number: Int
        var head: String
        var base: String
        var title: String
        var body: String
        var draft: Bool
        var state = "open"
    }

    /// What the routes share.
    final class State: Sendable {
        let cloneURL: String
        let permissions = Mutex<[String: String]>([:])
        let comments = Mutex<[Comment]>([])
        let pulls = Mutex<[Int: Pull]>([:])
        /// Reviews posted by the reviewer: id → body.
        let reviews = Mutex<[Int: String]>([:])
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
        router.get("/repos/{owner}/{repo}/pulls") { request, context -> Response in
            let head = request.uri.queryParameters["head"].map(String.init) ?? ""
            let owner = context.parameters.get("owner") ?? ""
            let open = state.pulls.withLock { $0.values }.filter { "\(owner):\($0.head)" == head && $0.state == "open" }
            var rendered: [JSONValue] = []
            for pull in open { rendered.append(try await Self.render(pull, state: state, context: context)) }
            return Self.json(200, .array(rendered))
        }
        router.post("/repos/{owner}/{repo}/pulls") { request, context -> Response in
            let body = try await Self.body(request)
            let head = body["head"]?.stringValue ?? ""
            let created: Pull? = state.pulls.withLock { pulls in
                guard !pulls.values.contains(where: { $0.head == head && $0.state == "open" }) else { return nil }
                let pull = Pull(number: 31 + pulls.count, head: head, base: body["base"]?.stringValue ?? "main", title: body["title"]?.stringValue ?? "",
                                body: body["body"]?.stringValue ?? "", draft: body["draft"]?.boolValue ?? false)
                pulls[pull.number] = pull
                return pull
            }
            guard let created else { return Self.json(422, ["message": "Validation Failed"]) }
            return Self.json(201, try await Self.render(created, state: state, context: context))
        }
        router.get("/repos/{owner}/{repo}/pulls/{number}") { _, context -> Response in
            let number = Int(context.parameters.get("number") ?? "") ?? 0
            guard let pull = state.pulls.withLock({ $0[number] }) else { return Self.json(404, ["message": "Not Found"]) }
            return Self.json(200, try await Self.render(pull, state: state, context: context))
        }
        router.get("/repos/{owner}/{repo}/pulls/{number}/files") { request, context -> Response in
            let number = Int(context.parameters.get("number") ?? "") ?? 0
            guard request.uri.queryParameters["page"].map({ $0 == "1" }) ?? true, let pull = state.pulls.withLock({ $0[number] }) else { return Self.json(200, []) }
            return Self.json(200, .array(try await Self.files(pull, state: state)))
        }
        router.get("/repos/{owner}/{repo}/contents/{path}") { _, _ -> Response in
            Self.json(404, ["message": "Not Found"])
        }
        router.get("/repos/{owner}/{repo}/pulls/{number}/reviews") { _, _ -> Response in
            let reviews = state.reviews.withLock { $0 }.sorted { $0.key < $1.key }.map { Self.review($0.key, $0.value) }
            return Self.json(200, .array(reviews))
        }
        router.post("/repos/{owner}/{repo}/pulls/{number}/reviews") { request, _ -> Response in
            let body = try await Self.body(request)
            let id = state.nextID.add(1, ordering: .relaxed).oldValue
            state.reviews.withLock { $0[id] = body["body"]?.stringValue ?? "" }
            return Self.json(200, Self.review(id, body["body"]?.stringValue ?? ""))
        }
        router.put("/repos/{owner}/{repo}/pulls/{number}/reviews/{id}") { request, context -> Response in
            let body = try await Self.body(request)
            let id = Int(context.parameters.get("id") ?? "") ?? 0
            state.reviews.withLock { $0[id] = body["body"]?.stringValue ?? "" }
            return Self.json(200, Self.review(id, body["body"]?.stringValue ?? ""))
        }
        router.delete("/repos/{owner}/{repo}/pulls/comments/{id}") { _, _ -> Response in
            Response(status: .noContent)
        }
        router.get("/repos/{owner}/{repo}/pulls/{number}/reviews/{id}/comments") { _, context -> Response in
            let review = Int(context.parameters.get("id") ?? "") ?? 0
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

    var pulls: [Pull] { state.pulls.withLock { $0.values.sorted { $0.number < $1.number } } }
    var reviews: [String] { state.reviews.withLock { $0.sorted { $0.key < $1.key }.map(\.value) } }

    /// A pull request as the REST API shows it, its refs' commits read from the bare repository.
    private static func render(_ pull: Pull, state: State, context: BasicRequestContext) async throws -> JSONValue {
        let name = "\(context.parameters.get("owner") ?? "")/\(context.parameters.get("repo") ?? "")"
        let repository: JSONValue = ["full_name": .string(name), "clone_url": .string(state.cloneURL)]
        return [
            "number": .number(Double(pull.number)), "title": .string(pull.title), "body": .string(pull.body), "state": .string(pull.state),
            "draft": .bool(pull.draft), "html_url": .string("https://github.example/\(name)/pull/\(pull.number)"),
            "head": ["ref": .string(pull.head), "sha": .string(try await git(state, "rev-parse", pull.head)), "repo": repository],
            "base": ["ref": .string(pull.base), "sha": .string(try await git(state, "rev-parse", pull.base)), "repo": repository],
        ]
    }

    /// The files of a pull request as GitHub lists them, each with its `patch` (hunks only), from `git diff base...head`.
    private static func files(_ pull: Pull, state: State) async throws -> [JSONValue] {
        let range = "\(pull.base)...\(pull.head)"
        var files: [JSONValue] = []
        for line in try await git(state, "diff", "--numstat", range).split(separator: "\n") {
            let parts = line.split(separator: "\t").map(String.init)
            guard parts.count == 3 else { continue }
            let diff = try await git(state, "diff", range, "--", parts[2])
            let patch = diff.range(of: "\n@@").map { String(diff[diff.index(after: $0.lowerBound)...]) } ?? ""
            files.append([
                "filename": .string(parts[2]), "status": "modified", "additions": .number(Double(Int(parts[0]) ?? 0)),
                "deletions": .number(Double(Int(parts[1]) ?? 0)), "patch": .string(patch),
            ])
        }
        return files
    }

    private static func git(_ state: State, _ arguments: String...) async throws -> String {
        let directory = URL(fileURLWithPath: String(state.cloneURL.dropFirst("file://".count)))
        return try await GitFixture.run(arguments, in: directory).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func review(_ id: Int, _ body: String) -> JSONValue {
        ["id": .number(Double(id)), "body": .string(body), "state": "COMMENTED", "user": ["login": .string(botLogin)]]
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
