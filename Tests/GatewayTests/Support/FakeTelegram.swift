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
/// `getUpdates`, serves files by `getFile` and `/file/bot<token>/<file_path>`, and records `sendMessage` /
/// `editMessageText` / `sendDocument` (multipart), optionally answering 429 first.
final class FakeTelegram: Sendable {
    struct Sent: Sendable, Hashable {
        var method: String
        var chat: String
        var text: String
        var thread: Int?
        /// `callback_data` of the inline keyboard's buttons, in order.
        var buttons: [String] = []
        /// `sendDocument`: the uploaded file's name and content.
        var document: (name: String, content: String)? = nil

        static func == (lhs: Sent, rhs: Sent) -> Bool {
            lhs.method == rhs.method && lhs.chat == rhs.chat && lhs.text == rhs.text && lhs.thread == rhs.thread && lhs.buttons == rhs.buttons
                && lhs.document?.name == rhs.document?.name && lhs.document?.content == rhs.document?.content
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(method)
            hasher.combine(text)
        }
    }

    let token: String
    private let updates = Mutex<[JSONValue]>([])
    private let sent = Mutex<[Sent]>([])
    private let tooManyRequests = Mutex(0)
    private let nextMessageID = Atomic<Int>(100)
    private let server = Mutex<LocalServer?>(nil)
    /// Files people sent, by `file_id`.
    private let files = Mutex<[String: [UInt8]]>([:])
    /// `getFile` calls and file downloads, by `file_id`.
    private let fetched = Mutex<[String]>([])

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

    /// A message carrying a document (`file_name`, `mime_type`, `file_size`) with `caption`, its bytes served by `getFile`.
    func queueDocument(_ bytes: [UInt8], name: String, mimeType: String, caption: String?, from user: Int, chat: Int, updateID: Int, declaredSize: Int? = nil) {
        let id = "doc-\(updateID)"
        files.withLock { $0[id] = bytes }
        var message: [String: JSONValue] = [
            "message_id": .number(Double(updateID % 1000)), "from": ["id": .number(Double(user)), "is_bot": false, "first_name": "Test"],
            "chat": ["id": .number(Double(chat)), "type": "private"], "date": 1_795_000_000,
            "document": ["file_id": .string(id), "file_unique_id": .string("u\(id)"), "file_name": .string(name), "mime_type": .string(mimeType), "file_size": .number(Double(declaredSize ?? bytes.count))],
        ]
        if let caption { message["caption"] = .string(caption) }
        updates.withLock { $0.append(["update_id": .number(Double(updateID)), "message": .object(message)]) }
    }

    /// The `file_id`s whose bytes were downloaded.
    var downloads: [String] { fetched.withLock { $0 } }

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
        router.get("/file/bot{token}/documents/{id}") { _, context -> Response in
            guard context.parameters.get("token") == self.token, let id = context.parameters.get("id"), let bytes = self.files.withLock({ $0[id] }) else {
                return Self.json(404, ["ok": false, "error_code": 404, "description": "Not Found"])
            }
            self.fetched.withLock { $0.append(id) }
            return Response(status: .ok, headers: [.contentType: "application/octet-stream"], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        router.post("/bot{token}/{method}") { request, context -> Response in
            guard context.parameters.get("token") == self.token else {
                return Self.json(404, ["ok": false, "error_code": 404, "description": "Not Found"])
            }
            let raw = try await request.body.collect(upTo: 4 << 20)
            let body = (try? JSONValue(parsing: Data(buffer: raw))) ?? [:]
            switch context.parameters.get("method") {
            case "getFile":
                guard let id = body["file_id"]?.stringValue, let bytes = self.files.withLock({ $0[id] }) else {
                    return Self.json(400, ["ok": false, "error_code": 400, "description": "Bad Request: invalid file_id"])
                }
                return Self.json(200, ["ok": true, "result": ["file_id": .string(id), "file_size": .number(Double(bytes.count)), "file_path": .string("documents/\(id)")]])
            case "sendDocument":
                let form = Multipart(String(decoding: raw.readableBytesView, as: UTF8.self))
                self.sent.withLock {
                    $0.append(Sent(method: "sendDocument", chat: form.field("chat_id") ?? "", text: form.field("caption") ?? "", document: form.file("document")))
                }
                return Self.json(200, ["ok": true, "result": ["message_id": .number(Double(self.nextMessageID.add(1, ordering: .relaxed).oldValue))]])
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

/// Just enough of a `multipart/form-data` reader for the stand-ins: fields by name, a file part's name and content.
struct Multipart {
    let parts: [(headers: String, content: String)]

    init(_ body: String) {
        let boundary = body.components(separatedBy: "\r\n").first ?? ""
        parts = body.components(separatedBy: String(boundary)).compactMap { chunk in
            guard let split = chunk.range(of: "\r\n\r\n") else { return nil }
            var content = String(chunk[split.upperBound...])
            if content.hasSuffix("\r\n") { content = String(content.dropLast()) }  // "\r\n" is one Character
            return (String(chunk[..<split.lowerBound]), content)
        }
    }

    func field(_ name: String) -> String? {
        parts.first { $0.headers.contains("name=\"\(name)\"") }?.content
    }

    func file(_ name: String) -> (name: String, content: String)? {
        guard let part = parts.first(where: { $0.headers.contains("name=\"\(name)\"; filename=") }),
              let range = part.headers.range(of: "filename=\"") else { return nil }
        return (String(part.headers[range.upperBound...].prefix { $0 != "\"" }), part.content)
    }
}
