import AgentBase
import AsyncHTTPClient
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
        let reply = try await JSONHTTPClient(http: http).send(
            .POST, "\(configuration.apiURL)/bot\(configuration.token)/\(method)", headers: [], body: .object(parameters),
            timeout: timeout, redacting: configuration.token, label: "Telegram \(method)"
        )
        let body = reply.json
        if body["ok"]?.boolValue == true { return body["result"] ?? .null }
        let description = body["description"]?.stringValue ?? "HTTP \(reply.status)"
        if reply.status == 429 || body["error_code"]?.intValue == 429 {
            throw .rateLimited(retryAfter: .seconds(body["parameters"]?["retry_after"]?.intValue ?? 1))
        }
        if reply.status >= 500 { throw .transient("Telegram \(method): \(description)") }
        throw .permanent("Telegram \(method): \(description)")
    }
}
