import AgentBase
import Foundation
import SwitchboardTesting
import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Synchronization

/// A local HTTP server speaking the Slack Web API wire format for `chat.postMessage` and `chat.update`.
final class FakeSlack: Sendable {
    struct Call: Sendable, Hashable {
        var method: String
        var channel: String
        var text: String
        var threadTS: String?
        var ts: String?
        /// `action_id:value` of the buttons in the message's blocks.
        var buttons: [String] = []
    }

    /// What the fake has received, shared with its route handler.
    final class Recorder: Sendable {
        let calls = Mutex<[Call]>([])
        let next = Atomic<Int>(1)
        /// Envelopes pushed to Socket Mode clients, and the acknowledgements they sent back.
        let envelopes = Mutex<[String]>([])
        let acks = Mutex<[String]>([])
        let socketURL = Mutex<String>("")
    }

    private let recorder = Recorder()
    let server: LocalServer

    /// `envelopes` are sent to each Socket Mode connection after `hello`.
    init(envelopes: [String] = []) {
        let router = Router()
        let recorder = self.recorder
        recorder.envelopes.withLock { $0 = envelopes }
        router.post("/api/apps.connections.open") { _, _ -> Response in
            FakeTelegram.json(200, ["ok": true, "url": .string(recorder.socketURL.withLock { $0 })])
        }
        router.post("/api/{method}") { request, context -> Response in
            let method = context.parameters.get("method") ?? ""
            let body = (try? JSONValue(parsing: Data(buffer: try await request.body.collect(upTo: 1 << 20)))) ?? [:]
            let ts = method == "chat.update" ? body["ts"]?.stringValue ?? "" : "1795000000.\(String(format: "%06d", recorder.next.add(1, ordering: .relaxed).oldValue))"
            let buttons = (body["blocks"]?.arrayValue ?? []).flatMap { $0["elements"]?.arrayValue ?? [] }
                .compactMap { button in button["action_id"]?.stringValue.map { "\($0):\(button["value"]?.stringValue ?? "")" } }
            recorder.calls.withLock {
                $0.append(Call(method: method, channel: body["channel"]?.stringValue ?? "", text: body["text"]?.stringValue ?? "", threadTS: body["thread_ts"]?.stringValue, ts: body["ts"]?.stringValue, buttons: buttons))
            }
            return FakeTelegram.json(200, ["ok": true, "channel": body["channel"] ?? .null, "ts": .string(ts)])
        }
        server = LocalServer(router: router, server: .http1WebSocketUpgrade { request, _, _ in
            guard request.path == "/socket" else { return .dontUpgrade }
            return .upgrade([:]) { inbound, outbound, _ in
                try await outbound.write(.text(#"{"type":"hello","num_connections":1}"#))
                for envelope in recorder.envelopes.withLock({ $0 }) { try await outbound.write(.text(envelope)) }
                for try await message in inbound.messages(maxSize: 1 << 20) {
                    if case .text(let text) = message { recorder.acks.withLock { $0.append(text) } }
                }
            }
        })
    }

    func startSocketMode() async throws {
        try await server.start()
        recorder.socketURL.withLock { $0 = server.url.replacingOccurrences(of: "http://", with: "ws://") + "/socket" }
    }

    var acks: [String] { recorder.acks.withLock { $0 } }

    var apiURL: String { server.url + "/api" }
    var calls: [Call] { recorder.calls.withLock { $0 } }
}
