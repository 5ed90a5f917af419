import AgentBase
import Foundation
import Hummingbird
import Synchronization

/// A local HTTP server speaking the Slack Web API wire format for `chat.postMessage` and `chat.update`.
final class FakeSlack: Sendable {
    struct Call: Sendable, Hashable {
        var method: String
        var channel: String
        var text: String
        var threadTS: String?
        var ts: String?
    }

    /// What the fake has received, shared with its route handler.
    final class Recorder: Sendable {
        let calls = Mutex<[Call]>([])
        let next = Atomic<Int>(1)
    }

    private let recorder = Recorder()
    let server: LocalServer

    init() {
        let router = Router()
        let recorder = self.recorder
        router.post("/api/{method}") { request, context -> Response in
            let method = context.parameters.get("method") ?? ""
            let body = (try? JSONValue(parsing: Data(buffer: try await request.body.collect(upTo: 1 << 20)))) ?? [:]
            let ts = method == "chat.update" ? body["ts"]?.stringValue ?? "" : "1795000000.\(String(format: "%06d", recorder.next.add(1, ordering: .relaxed).oldValue))"
            recorder.calls.withLock {
                $0.append(Call(method: method, channel: body["channel"]?.stringValue ?? "", text: body["text"]?.stringValue ?? "", threadTS: body["thread_ts"]?.stringValue, ts: body["ts"]?.stringValue))
            }
            return FakeTelegram.json(200, ["ok": true, "channel": body["channel"] ?? .null, "ts": .string(ts)])
        }
        server = LocalServer(router: router)
    }

    var apiURL: String { server.url + "/api" }
    var calls: [Call] { recorder.calls.withLock { $0 } }
}
