import AgentBase
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationEssentialsCompat
import NIOHTTP1

/// One request to a chat service's HTTP API — a JSON body, an upload of bytes, or a file download — with transport
/// failures mapped to `ChannelError` (secrets never in the message). The caller interprets the status and body.
struct JSONHTTPClient: Sendable {
    let http: HTTPClient

    struct Reply: Sendable {
        var status: UInt
        var headers: HTTPHeaders
        var json: JSONValue

        var retryAfter: Duration? { headers.first(name: "retry-after").flatMap(Int.init).map { .seconds($0) } }
    }

    /// Sends `body` as JSON (nothing, and no content type, when nil: a `GET`) and reads a JSON answer.
    func send(_ method: HTTPMethod, _ url: String, headers: [(String, String)], body: JSONValue?, timeout: Duration = .seconds(30), redacting secret: String? = nil, label: String) async throws(ChannelError) -> Reply {
        guard let body else {
            let (status, replyHeaders, bytes) = try await execute(method, url, headers: headers, body: nil, maxBytes: 4 << 20, timeout: timeout, redacting: secret, label: label)
            return Reply(status: status, headers: replyHeaders, json: (try? JSONValue(parsing: Data(bytes))) ?? .null)
        }
        return try await upload(method, url, headers: headers, body: Array(body.jsonString.utf8), contentType: "application/json; charset=utf-8", timeout: timeout, redacting: secret, label: label)
    }

    /// Sends `body` as it is (a multipart form, a file's bytes) and reads a JSON answer.
    func upload(_ method: HTTPMethod, _ url: String, headers: [(String, String)], body: [UInt8], contentType: String, timeout: Duration = .seconds(60), redacting secret: String? = nil, label: String) async throws(ChannelError) -> Reply {
        let (status, replyHeaders, bytes) = try await execute(method, url, headers: headers + [("Content-Type", contentType)], body: body, maxBytes: 4 << 20, timeout: timeout, redacting: secret, label: label)
        return Reply(status: status, headers: replyHeaders, json: (try? JSONValue(parsing: Data(bytes))) ?? .null)
    }

    /// The body of a `GET`, at most `maxBytes` (a longer one is `ChannelError.permanent`); a status other than 200 is
    /// `transient` for 5xx and `permanent` otherwise.
    func download(_ url: String, headers: [(String, String)], maxBytes: Int, timeout: Duration = .seconds(60), redacting secret: String? = nil, label: String) async throws(ChannelError) -> [UInt8] {
        let (status, _, bytes) = try await execute(.GET, url, headers: headers, body: nil, maxBytes: maxBytes, timeout: timeout, redacting: secret, label: label)
        guard status == 200 else { throw status >= 500 ? .transient("\(label): HTTP \(status)") : .permanent("\(label): HTTP \(status)") }
        return bytes
    }

    private func execute(_ method: HTTPMethod, _ url: String, headers: [(String, String)], body: [UInt8]?, maxBytes: Int, timeout: Duration, redacting secret: String?, label: String) async throws(ChannelError) -> (UInt, HTTPHeaders, [UInt8]) {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request, timeout: .milliseconds(Int64(timeout.milliseconds)))
        } catch {
            throw .transient("\(label): \(Self.redacted(error, secret))")
        }
        do {
            let buffer = try await response.body.collect(upTo: maxBytes)
            return (response.status.code, response.headers, Array(buffer.readableBytesView))
        } catch is NIOTooManyBytesError {
            throw .permanent("\(label): the answer is larger than \(maxBytes) bytes")
        } catch {
            throw .transient("\(label): \(Self.redacted(error, secret))")
        }
    }

    private static func redacted(_ error: any Error, _ secret: String?) -> String {
        var message = Redactor.redact(String(describing: error))
        if let secret { message = message.replacingOccurrences(of: secret, with: "***") }
        return message
    }
}
