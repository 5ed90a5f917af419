import AgentBase
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Answers on GitHub as issue / pull-request comments (REST: `POST /repos/{repo}/issues/{n}/comments`,
/// progress by `PATCH /repos/{repo}/issues/comments/{id}`).
public struct GitHubChannel: ChatChannel {
    public let name = "github"
    let configuration: GitHubConfiguration
    let http: HTTPClient

    public init(configuration: GitHubConfiguration, http: HTTPClient = .shared) {
        self.configuration = configuration
        self.http = http
    }

    @discardableResult
    public func send(_ text: String, to origin: Origin) async throws(ChannelError) -> String? {
        guard let (repo, number) = Self.issue(origin.chat) else { throw .permanent("not a GitHub issue origin: \(origin.chat)") }
        let result = try await call(.POST, "/repos/\(repo)/issues/\(number)/comments", body: ["body": .string(text)])
        return result["id"]?.intValue.map(String.init)
    }

    public func update(_ message: String, with text: String, at origin: Origin) async throws(ChannelError) {
        guard let (repo, _) = Self.issue(origin.chat) else { return }
        _ = try await call(.PATCH, "/repos/\(repo)/issues/comments/\(message)", body: ["body": .string(text)])
    }

    /// `owner/repo#12` → (`owner/repo`, 12).
    static func issue(_ chat: String) -> (String, Int)? {
        let parts = chat.split(separator: "#")
        guard parts.count == 2, let number = Int(parts[1]) else { return nil }
        return (String(parts[0]), number)
    }

    private func call(_ method: HTTPMethod, _ path: String, body: [String: JSONValue]) async throws(ChannelError) -> JSONValue {
        guard let token = configuration.token else { throw .permanent("GITHUB_TOKEN is not set; cannot comment on GitHub") }
        var request = HTTPClientRequest(url: configuration.apiURL + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Accept", value: "application/vnd.github+json")
        request.headers.add(name: "X-GitHub-Api-Version", value: "2022-11-28")
        request.headers.add(name: "User-Agent", value: "switchboard-gateway")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: JSONValue.object(body).jsonString))
        let status: UInt
        let headers: HTTPHeaders
        let json: JSONValue
        do {
            let response = try await http.execute(request, timeout: .seconds(30))
            (status, headers) = (response.status.code, response.headers)
            json = (try? JSONValue(parsing: Data(buffer: try await response.body.collect(upTo: 4 << 20)))) ?? .null
        } catch {
            throw .transient("GitHub \(method) \(path): \(Redactor.redact(String(describing: error)))")
        }
        switch status {
        case 200..<300:
            return json
        case 429:
            throw .rateLimited(retryAfter: .seconds(headers.first(name: "retry-after").flatMap(Int.init) ?? 60))
        case 403 where headers.first(name: "x-ratelimit-remaining") == "0" || headers.first(name: "retry-after") != nil:
            throw .rateLimited(retryAfter: .seconds(headers.first(name: "retry-after").flatMap(Int.init) ?? 60))
        case 500...:
            throw .transient("GitHub \(method) \(path): HTTP \(status)")
        default:
            throw .permanent("GitHub \(method) \(path): HTTP \(status) \(json["message"]?.stringValue ?? "")")
        }
    }
}
