import AgentBase
@testable import Gateway
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import NIOFoundationEssentialsCompat
import SwitchboardTesting
import Synchronization

/// A local HTTP server speaking the Slack Web API wire format for `chat.postMessage` and `chat.update`, and Socket Mode
/// (`apps.connections.open` and the WebSocket it hands out) behaving, connection by connection, as a script says.
final class FakeSlack: Sendable {
    /// What the Socket Mode server does with one connection.
    enum Connection: Sendable, Hashable {
        /// `hello`, then the envelopes, then it records acknowledgements until the client goes.
        case hello
        /// Accepts the upgrade and closes without `hello` (a moment later, so that the close does not travel with the
        /// upgrade response: that is `closeWithUpgrade`).
        case closeWithoutHello
        /// Sends the close frame in the same write as the upgrade response, then ends the connection.
        case closeWithUpgrade
        /// `hello`, then a `disconnect` envelope, as Slack sends before it refreshes a connection.
        case helloThenDisconnect
    }

    struct Call: Sendable, Hashable {
        var method: String
        var channel: String
        var text: String
        var threadTS: String?
        var ts: String?
        /// `action_id:value` of the buttons in the message's blocks.
        var buttons: [String] = []
        /// The text of the message's section blocks.
        var sections: [String] = []
    }

    /// What the fake has received, shared with its route handler.
    final class Recorder: Sendable {
        let calls = Mutex<[Call]>([])
        let next = Atomic<Int>(1)
        /// Envelopes pushed to Socket Mode clients, and the acknowledgements they sent back.
        let envelopes = Mutex<[String]>([])
        let acks = Mutex<[String]>([])
        /// The connections to script, in order; the last one repeats.
        let script = Mutex<[Connection]>([.hello])
        /// `apps.connections.open` calls so far: each is one dial of the client.
        let dials = Atomic<Int>(0)
        let socketBase = Mutex<String>("")
        let closingURL = Mutex<String>("")
        /// Files people shared, by id (served at `/files/<id>` to the bot token only).
        let files = Mutex<[String: [UInt8]]>([:])
        /// File downloads: the id and whether the bot token came with it.
        let downloads = Mutex<[String]>([])
        /// Bytes posted to upload URLs, by file id, and whether any carried an Authorization header.
        let uploads = Mutex<[String: [UInt8]]>([:])
        let uploadsWithAuthorization = Atomic<Int>(0)
        /// The bot token the file host expects.
        let token = Mutex<String>("")
    }

    private let recorder = Recorder()
    let server: LocalServer

    private let closing = Mutex<UpgradeThenCloseServer?>(nil)

    /// `envelopes` are sent to each `.hello` connection after `hello`; `connections` scripts the Socket Mode server.
    init(envelopes: [String] = [], connections: [Connection] = [.hello]) {
        let router = Router()
        let recorder = self.recorder
        recorder.envelopes.withLock { $0 = envelopes }
        recorder.script.withLock { $0 = connections }
        router.post("/api/apps.connections.open") { _, _ -> Response in
            let dial = recorder.dials.add(1, ordering: .relaxed).oldValue
            let connection = recorder.script.withLock { $0[min(dial, $0.count - 1)] }
            let url = connection == .closeWithUpgrade ? recorder.closingURL.withLock { $0 } : recorder.socketBase.withLock { $0 } + "/\(connection)"
            return FakeTelegram.json(200, ["ok": true, "url": .string(url)])
        }
        router.get("/files/{id}") { request, context -> Response in
            let id = context.parameters.get("id") ?? ""
            guard request.headers[.authorization] == "Bearer \(recorder.token.withLock { $0 })", let bytes = recorder.files.withLock({ $0[id] }) else {
                return FakeTelegram.json(404, ["ok": false, "error": "file_not_found"])
            }
            recorder.downloads.withLock { $0.append(id) }
            return Response(status: .ok, headers: [.contentType: "application/octet-stream"], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        router.post("/api/files.getUploadURLExternal") { request, _ -> Response in
            let form = SlackFront.form(String(buffer: try await request.body.collect(upTo: 1 << 20)))
            let id = "F\(recorder.next.add(1, ordering: .relaxed).oldValue)"
            recorder.calls.withLock { $0.append(Call(method: "files.getUploadURLExternal", channel: "", text: form["filename"] ?? "")) }
            return FakeTelegram.json(200, ["ok": true, "upload_url": .string("http://\(request.head.authority ?? "127.0.0.1")/upload/\(id)"), "file_id": .string(id)])
        }
        router.post("/upload/{id}") { request, context -> Response in
            if request.headers[.authorization] != nil { recorder.uploadsWithAuthorization.add(1, ordering: .relaxed) }
            let bytes = Array(try await request.body.collect(upTo: 4 << 20).readableBytesView)
            recorder.uploads.withLock { $0[context.parameters.get("id") ?? ""] = bytes }
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "OK - \(bytes.count)")))
        }
        router.post("/api/{method}") { request, context -> Response in
            let method = context.parameters.get("method") ?? ""
            let body = (try? JSONValue(parsing: Data(buffer: try await request.body.collect(upTo: 1 << 20)))) ?? [:]
            let ts = method == "chat.update" ? body["ts"]?.stringValue ?? "" : "1795000000.\(String(format: "%06d", recorder.next.add(1, ordering: .relaxed).oldValue))"
            let blocks = body["blocks"]?.arrayValue ?? []
            let buttons = blocks.flatMap { $0["elements"]?.arrayValue ?? [] }
                .compactMap { button in button["action_id"]?.stringValue.map { "\($0):\(button["value"]?.stringValue ?? "")" } }
            let sections = blocks.filter { $0["type"]?.stringValue == "section" }.compactMap { $0["text"]?["text"]?.stringValue }
            recorder.calls.withLock {
                $0.append(Call(
                    method: method, channel: body["channel"]?.stringValue ?? "", text: body["text"]?.stringValue ?? "", threadTS: body["thread_ts"]?.stringValue,
                    ts: body["ts"]?.stringValue, buttons: buttons, sections: sections
                ))
            }
            return FakeTelegram.json(200, ["ok": true, "channel": body["channel"] ?? .null, "ts": .string(ts)])
        }
        server = LocalServer(router: router, server: .http1WebSocketUpgrade { request, _, _ in
            switch request.path {
            case "/socket/\(Connection.hello)":
                return .upgrade([:]) { inbound, outbound, _ in
                    try await outbound.write(.text(Self.hello))
                    for envelope in recorder.envelopes.withLock({ $0 }) { try await outbound.write(.text(envelope)) }
                    for try await message in inbound.messages(maxSize: 1 << 20) {
                        if case .text(let text) = message { recorder.acks.withLock { $0.append(text) } }
                    }
                }
            case "/socket/\(Connection.closeWithoutHello)":
                return .upgrade([:]) { _, _, _ in try await Task.sleep(for: .milliseconds(20)) }
            case "/socket/\(Connection.helloThenDisconnect)":
                return .upgrade([:]) { inbound, outbound, _ in
                    try await outbound.write(.text(Self.hello))
                    try await outbound.write(.text(#"{"type":"disconnect","reason":"refresh_requested","debug_info":{"host":"applink-fake"}}"#))
                    for try await _ in inbound.messages(maxSize: 1 << 20) {}
                }
            default:
                return .dontUpgrade
            }
        })
    }

    static let hello = #"{"type":"hello","num_connections":1,"debug_info":{"host":"applink-fake","approximate_connection_time":18060},"connection_info":{"app_id":"A1"}}"#

    func startSocketMode() async throws {
        try await server.start()
        recorder.socketBase.withLock { $0 = server.url.replacingOccurrences(of: "http://", with: "ws://") + "/socket" }
        if recorder.script.withLock({ $0.contains(.closeWithUpgrade) }) {
            let closing = try await UpgradeThenCloseServer.start()
            recorder.closingURL.withLock { $0 = closing.url }
            self.closing.withLock { $0 = closing }
        }
    }

    /// Stops the Web API, the Socket Mode server and the raw closing server.
    func stop() async throws {
        await server.stop()
        try await closing.withLock { $0 }?.stop()
    }

    var acks: [String] { recorder.acks.withLock { $0 } }
    var dials: Int { recorder.dials.load(ordering: .relaxed) }

    var apiURL: String { server.url + "/api" }

    /// Shares a file: served at `fileURL(id)` to requests that carry `token`.
    func share(_ bytes: [UInt8], id: String, token: String) {
        recorder.files.withLock { $0[id] = bytes }
        recorder.token.withLock { $0 = token }
    }

    func fileURL(_ id: String) -> String { server.url + "/files/\(id)" }
    var downloads: [String] { recorder.downloads.withLock { $0 } }
    var uploads: [String: [UInt8]] { recorder.uploads.withLock { $0 } }
    var uploadsWithAuthorization: Int { recorder.uploadsWithAuthorization.load(ordering: .relaxed) }
    var calls: [Call] { recorder.calls.withLock { $0 } }
}
