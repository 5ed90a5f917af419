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
        try await GitHubAPI(configuration: configuration, http: http).call(method, path, body: .object(body))
    }
}
