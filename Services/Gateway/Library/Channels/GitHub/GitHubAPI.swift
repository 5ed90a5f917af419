import AgentBase
import AsyncHTTPClient
import NIOHTTP1

/// The GitHub REST calls the gateway makes itself (`GITHUB_API_URL`, `GITHUB_TOKEN`): comments, replies, and what it
/// needs to know about a repository, an issue, a pull request or a person's permission.
public struct GitHubAPI: Sendable {
    let configuration: GitHubConfiguration
    let http: HTTPClient

    public init(configuration: GitHubConfiguration, http: HTTPClient = .shared) {
        self.configuration = configuration
        self.http = http
    }

    /// One call; 2xx gives the JSON body, 429 and an exhausted 403 `rateLimited`, 5xx `transient`, the rest `permanent`.
    func call(_ method: HTTPMethod, _ path: String, body: JSONValue? = nil) async throws(ChannelError) -> JSONValue {
        guard let token = configuration.token else { throw .permanent("GITHUB_TOKEN is not set; cannot call GitHub") }
        let reply = try await JSONHTTPClient(http: http).send(
            method, configuration.apiURL + path,
            headers: [
                ("Authorization", "Bearer \(token)"), ("Accept", "application/vnd.github+json"),
                ("X-GitHub-Api-Version", "2022-11-28"), ("User-Agent", "switchboard-gateway"),
            ],
            body: body, redacting: token, label: "GitHub \(method) \(path)"
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

    /// Where to clone `owner/name` from and its default branch, as the forge says (`clone_url`, `default_branch`).
    func repository(_ repo: String) async throws(ChannelError) -> (cloneURL: String, defaultBranch: String) {
        let json = try await call(.GET, "/repos/\(repo)")
        guard let url = json["clone_url"]?.stringValue, !url.isEmpty else { throw .permanent("GitHub GET /repos/\(repo): no clone_url") }
        return (url, json["default_branch"]?.stringValue ?? "main")
    }

    /// A person's permission on a repository (`admin`, `maintain`, `write`, `triage`, `read`, `none`).
    func permission(of login: String, in repo: String) async throws(ChannelError) -> String {
        let json = try await call(.GET, "/repos/\(repo)/collaborators/\(login)/permission")
        return json["role_name"]?.stringValue ?? json["permission"]?.stringValue ?? "none"
    }

    /// The conversation comments of an issue or pull request, oldest first (the first 100).
    func issueComments(_ repo: String, number: Int) async throws(ChannelError) -> [JSONValue] {
        try await call(.GET, "/repos/\(repo)/issues/\(number)/comments?per_page=100").arrayValue ?? []
    }

    /// A pull request (`state`, `merged`, `head.ref`, `base.ref`, `draft`, `html_url`).
    func pullRequest(_ repo: String, number: Int) async throws(ChannelError) -> JSONValue {
        try await call(.GET, "/repos/\(repo)/pulls/\(number)")
    }

    /// The inline comments of one review.
    func reviewComments(_ repo: String, number: Int, review: Int) async throws(ChannelError) -> [JSONValue] {
        try await call(.GET, "/repos/\(repo)/pulls/\(number)/reviews/\(review)/comments?per_page=100").arrayValue ?? []
    }

    /// Answers an inline review comment in its thread.
    func reply(_ repo: String, number: Int, comment: Int, body: String) async throws(ChannelError) {
        _ = try await call(.POST, "/repos/\(repo)/pulls/\(number)/comments/\(comment)/replies", body: ["body": .string(body)])
    }
}
