import AgentBase
import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOFoundationEssentialsCompat
import ServiceLifecycle
import SwitchboardTesting
import Synchronization

/// A local HTTP server speaking the Telegram Bot API wire format: it hands out queued updates from
/// `getUpdates` and records `sendMessage` / `editMessageText`, optionally answering 429 first.
final class FakeTelegram: Sendable {
    struct Sent: Sendable, Hashable {
        var method: String
        var chat: String
        var text: String
        var thread: Int?
        /// `callback_data` of the inline keyboard's buttons, in order.
        var buttons: [String] = []
    }

    let token: String
    private let updates = Mutex<[JSONValue]>([])
    private let sent = Mutex<[Sent]>([])
    private let tooManyRequests = Mutex(0)
    private let nextMessageID = Atomic<Int>(100)
    private let server = Mutex<LocalServer?>(nil)

    init(token: String) {
        self.token = token
    }

    var url: String { server.withLock { $0?.url } ?? "http://127.0.0.1:0" }
    var messages: [Sent] { sent.withLock { $0 } }

    func queue(text: String, from user: Int, chat: Int, updateID: Int, thread: Int? = nil) {
        var message: [String: JSONValue] = [
            "message_id": .number(Double(updateID % 1000)), "from": ["id": .number(Double(user)), "is_bot": false, "first_name": "Test"],
            "chat": ["id": .number(Double(chat)), "type": "private"], "date": 1_795_000_000, "text": .string(text),
        ]
        if let thread { message["message_thread_id"] = .number(Double(thread)) }
        updates.withLock { $0.append(["update_id": .number(Double(updateID)), "message": .object(message)]) }
    }

    /// An update the way Telegram sends it when someone edits an earlier message.
    func queueEdit(text: String, from user: Int, chat: Int, updateID: Int) {
        updates.withLock {
            $0.append(["update_id": .number(Double(updateID)), "edited_message": [
                "message_id": 1, "from": ["id": .number(Double(user))], "chat": ["id": .number(Double(chat)), "type": "private"], "date": 1_795_000_000, "text": .string(text),
            ]])
        }
    }

    /// A press on an inline keyboard button (`callback_query`) by `user` on a message in `chat`.
    func queuePress(data: String, from user: Int, chat: Int, message: Int, updateID: Int) {
        updates.withLock {
            $0.append(["update_id": .number(Double(updateID)), "callback_query": [
                "id": .string("cbq-\(updateID)"), "from": ["id": .number(Double(user)), "is_bot": false, "first_name": "Admin"], "data": .string(data),
                "message": ["message_id": .number(Double(message)), "chat": ["id": .number(Double(chat)), "type": "private"], "date": 1_795_000_000, "text": "…"],
            ]])
        }
    }

    /// The next `count` sendMessage calls answer 429 with `retry_after: 1`.
    func refuseNext(_ count: Int) { tooManyRequests.withLock { $0 = count } }

    func start() async throws {
        let router = Router()
        router.post("/bot{token}/{method}") { request, context -> Response in
            guard context.parameters.get("token") == self.token else {
                return Self.json(404, ["ok": false, "error_code": 404, "description": "Not Found"])
            }
            let body = (try? JSONValue(parsing: Data(buffer: try await request.body.collect(upTo: 1 << 20)))) ?? [:]
            switch context.parameters.get("method") {
            case "getUpdates":
                let offset = body["offset"]?.intValue ?? 0
                for _ in 0..<10 {
                    let ready = self.updates.withLock { $0.filter { ($0["update_id"]?.intValue ?? 0) >= offset } }
                    if !ready.isEmpty { return Self.json(200, ["ok": true, "result": .array(ready)]) }
                    try await Task.sleep(for: .milliseconds(20))
                }
                return Self.json(200, ["ok": true, "result": []])
            case "answerCallbackQuery":
                self.sent.withLock { $0.append(Sent(method: "answerCallbackQuery", chat: body["callback_query_id"]?.stringValue ?? "", text: body["text"]?.stringValue ?? "")) }
                return Self.json(200, ["ok": true, "result": true])
            case let method? where method == "sendMessage" || method == "editMessageText":
                if method == "sendMessage", self.tooManyRequests.withLock({ count in defer { count = max(0, count - 1) }; return count > 0 }) {
                    return Self.json(429, ["ok": false, "error_code": 429, "description": "Too Many Requests: retry after 1", "parameters": ["retry_after": 1]])
                }
                let chat = body["chat_id"]?.intValue.map(String.init) ?? body["chat_id"]?.stringValue ?? ""
                let buttons = (body["reply_markup"]?["inline_keyboard"]?.arrayValue ?? []).flatMap { $0.arrayValue ?? [] }.compactMap { $0["callback_data"]?.stringValue }
                self.sent.withLock { $0.append(Sent(method: method, chat: chat, text: body["text"]?.stringValue ?? "", thread: body["message_thread_id"]?.intValue, buttons: buttons)) }
                let id = self.nextMessageID.add(1, ordering: .relaxed).oldValue
                return Self.json(200, ["ok": true, "result": ["message_id": .number(Double(id)), "chat": ["id": body["chat_id"] ?? .null]]])
            default:
                return Self.json(404, ["ok": false, "error_code": 404, "description": "Not Found: method not found"])
            }
        }
        server.withLock { $0 = LocalServer(router: router) }
        try await server.withLock { $0! }.start()
    }

    func stop() async {
        await server.withLock { $0 }?.stop()
    }

    static func json(_ status: Int, _ value: JSONValue) -> Response {
        Response(status: .init(code: status), headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: value.jsonString)))
    }
}
