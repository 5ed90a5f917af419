import AgentBase
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationEssentialsCompat
import NIOHTTP1

/// One JSON request to a chat service's HTTP API, with transport failures mapped to `ChannelError`
/// (secrets never in the message). The caller interprets the status and body.
struct JSONHTTPClient: Sendable {
    let http: HTTPClient

    struct Reply: Sendable {
        var status: UInt
        var headers: HTTPHeaders
        var json: JSONValue

        var retryAfter: Duration? { headers.first(name: "retry-after").flatMap(Int.init).map { .seconds($0) } }
    }

    func send(_ method: HTTPMethod, _ url: String, headers: [(String, String)], body: JSONValue?, timeout: Duration = .seconds(30), redacting secret: String? = nil, label: String) async throws(ChannelError) -> Reply {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
            request.body = .bytes(ByteBuffer(string: body.jsonString))
        }
        do {
            let response = try await http.execute(request, timeout: .milliseconds(Int64(timeout.milliseconds)))
            let json = (try? JSONValue(parsing: Data(buffer: try await response.body.collect(upTo: 4 << 20)))) ?? .null
            return Reply(status: response.status.code, headers: response.headers, json: json)
        } catch {
            var message = Redactor.redact(String(describing: error))
            if let secret { message = message.replacingOccurrences(of: secret, with: "***") }
            throw .transient("\(label): \(message)")
        }
    }
}
