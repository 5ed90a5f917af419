import AgentBase
import AsyncHTTPClient
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
        let reply = try await JSONHTTPClient(http: http).send(
            method, configuration.apiURL + path,
            headers: [
                ("Authorization", "Bearer \(token)"), ("Accept", "application/vnd.github+json"),
                ("X-GitHub-Api-Version", "2022-11-28"), ("User-Agent", "switchboard-gateway"),
            ],
            body: .object(body), redacting: token, label: "GitHub \(method) \(path)"
        )
        let exhausted = reply.headers.first(name: "x-ratelimit-remaining") == "0" || reply.retryAfter != nil
        switch reply.status {
        case 200..<300:
            return reply.json
        case 429:
            throw .rateLimited(retryAfter: reply.retryAfter ?? .seconds(60))
        case 403 where exhausted:
            throw .rateLimited(retryAfter: reply.retryAfter ?? .seconds(60))
        case 500...:
            throw .transient("GitHub \(method) \(path): HTTP \(reply.status)")
        default:
            throw .permanent("GitHub \(method) \(path): HTTP \(reply.status) \(reply.json["message"]?.stringValue ?? "")")
        }
    }
}
