import AgentBase
import AsyncHTTPClient
import Foundation
import NIOCore

/// Answers in Slack: `chat.postMessage` into the thread the request came from, `chat.update` for progress.
public struct SlackChannel: ChatChannel {
    public let name = "slack"
    let configuration: SlackConfiguration
    let http: HTTPClient

    public init(configuration: SlackConfiguration, http: HTTPClient = .shared) {
        self.configuration = configuration
        self.http = http
    }

    @discardableResult
    public func send(_ text: String, to origin: Origin) async throws(ChannelError) -> String? {
        var body: [String: JSONValue] = ["channel": .string(Self.channel(origin.chat)), "text": .string(text)]
        if let thread = origin.thread { body["thread_ts"] = .string(thread) }
        return try await call("chat.postMessage", body)["ts"]?.stringValue
    }

    public func update(_ message: String, with text: String, at origin: Origin) async throws(ChannelError) {
        _ = try await call("chat.update", ["channel": .string(Self.channel(origin.chat)), "ts": .string(message), "text": .string(text)])
    }

    /// `T123/C456` → `C456`.
    static func channel(_ chat: String) -> String {
        String(chat.split(separator: "/").last ?? Substring(chat))
    }

    private func call(_ method: String, _ body: [String: JSONValue]) async throws(ChannelError) -> JSONValue {
        guard let token = configuration.botToken else { throw .permanent("SLACK_BOT_TOKEN is not set; cannot answer in Slack") }
        var request = HTTPClientRequest(url: "\(configuration.apiURL)/\(method)")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
        request.body = .bytes(ByteBuffer(string: JSONValue.object(body).jsonString))
        let json: JSONValue
        let status: UInt
        let retryAfter: Int?
        do {
            let response = try await http.execute(request, timeout: .seconds(30))
            status = response.status.code
            retryAfter = response.headers.first(name: "retry-after").flatMap(Int.init)
            json = (try? JSONValue(parsing: Data(buffer: try await response.body.collect(upTo: 4 << 20)))) ?? .null
        } catch {
            throw .transient("Slack \(method): \(Redactor.redact(String(describing: error)))")
        }
        if status == 429 || json["error"]?.stringValue == "ratelimited" { throw .rateLimited(retryAfter: .seconds(retryAfter ?? 1)) }
        if json["ok"]?.boolValue == true { return json }
        if status >= 500 { throw .transient("Slack \(method): HTTP \(status)") }
        throw .permanent("Slack \(method): \(json["error"]?.stringValue ?? "HTTP \(status)")")
    }
}
