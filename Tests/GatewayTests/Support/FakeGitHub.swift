import AgentBase
import Foundation
import Hummingbird
import NIOFoundationEssentialsCompat
import SwitchboardTesting
import Synchronization

/// A local HTTP server speaking the GitHub REST wire format for issue comments; it records what it receives.
final class FakeGitHub: Sendable {
    struct Comment: Sendable, Hashable {
        var method: String
        var path: String
        var body: String
        var authorization: String?
    }

    /// What the fake has received, shared with its route handlers.
    final class Recorder: Sendable {
        let received = Mutex<[Comment]>([])
        let nextID = Atomic<Int>(9000)
    }

    private let recorder = Recorder()
    let server: LocalServer

    init() {
        let router = Router()
        let recorder = self.recorder
        for method in [HTTPRequest.Method.post, .patch] {
            router.on("/repos/{owner}/{repo}/issues/**", method: method) { request, _ -> Response in
                let body = (try? JSONValue(parsing: Data(buffer: try await request.body.collect(upTo: 1 << 20)))) ?? [:]
                recorder.received.withLock { $0.append(Comment(method: method.rawValue, path: request.uri.path, body: body["body"]?.stringValue ?? "", authorization: request.headers[.authorization])) }
                let id = recorder.nextID.add(1, ordering: .relaxed).oldValue
                return FakeTelegram.json(method == .post ? 201 : 200, ["id": .number(Double(id)), "body": body["body"] ?? ""])
            }
        }
        server = LocalServer(router: router)
    }

    var url: String { server.url }
    var comments: [Comment] { recorder.received.withLock { $0 } }
}
