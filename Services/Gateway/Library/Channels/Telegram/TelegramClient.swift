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
        return try result(of: reply, method)
    }

    /// Calls a method that takes a file (`sendDocument`): `form` as `multipart/form-data`; returns its `result`.
    func upload(_ method: String, _ form: MultipartForm) async throws(ChannelError) -> JSONValue {
        let reply = try await JSONHTTPClient(http: http).upload(
            .POST, "\(configuration.apiURL)/bot\(configuration.token)/\(method)", headers: [], body: form.finished, contentType: form.contentType,
            redacting: configuration.token, label: "Telegram \(method)"
        )
        return try result(of: reply, method)
    }

    /// The bytes of a file someone sent (`getFile`, then `<api>/file/bot<token>/<file_path>`), at most `maxBytes`.
    public func download(fileID: String, maxBytes: Int) async throws(ChannelError) -> [UInt8] {
        let file = try await call("getFile", ["file_id": .string(fileID)])
        if let size = file["file_size"]?.intValue, size > maxBytes { throw .permanent("the file is \(size) bytes, more than \(maxBytes)") }
        guard let path = file["file_path"]?.stringValue, !path.contains("..") else { throw .permanent("Telegram getFile gave no file_path") }
        return try await JSONHTTPClient(http: http).download(
            "\(configuration.apiURL)/file/bot\(configuration.token)/\(path)", headers: [], maxBytes: maxBytes, redacting: configuration.token, label: "Telegram file download"
        )
    }

    private func result(of reply: JSONHTTPClient.Reply, _ method: String) throws(ChannelError) -> JSONValue {
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
