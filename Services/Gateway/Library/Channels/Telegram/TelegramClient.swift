import AgentBase
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The Telegram Bot API over HTTPS (`<TELEGRAM_API_URL>/bot<token>/<method>`, JSON bodies).
public struct TelegramClient: Sendable {
    let configuration: TelegramConfiguration
    let http: HTTPClient

    public init(configuration: TelegramConfiguration, http: HTTPClient = .shared) {
        self.configuration = configuration
        self.http = http
    }

    /// Calls a method; returns its `result`. Errors never include the token.
    public func call(_ method: String, _ parameters: [String: JSONValue], timeout: Duration = .seconds(30)) async throws(ChannelError) -> JSONValue {
        var request = HTTPClientRequest(url: "\(configuration.apiURL)/bot\(configuration.token)/\(method)")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: JSONValue.object(parameters).jsonString))
        let body: JSONValue
        let status: UInt
        do {
            let response = try await http.execute(request, timeout: .milliseconds(Int64(timeout.milliseconds)))
            status = response.status.code
            body = (try? JSONValue(parsing: Data(buffer: try await response.body.collect(upTo: 4 << 20)))) ?? .null
        } catch {
            throw .transient("Telegram \(method): \(Redactor.redact(String(describing: error)).replacingOccurrences(of: configuration.token, with: "***"))")
        }
        if body["ok"]?.boolValue == true { return body["result"] ?? .null }
        let description = body["description"]?.stringValue ?? "HTTP \(status)"
        if status == 429 || body["error_code"]?.intValue == 429 {
            throw .rateLimited(retryAfter: .seconds(body["parameters"]?["retry_after"]?.intValue ?? 1))
        }
        if status >= 500 { throw .transient("Telegram \(method): \(description)") }
        throw .permanent("Telegram \(method): \(description)")
    }
}
