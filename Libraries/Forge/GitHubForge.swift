import AgentBase
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationEssentialsCompat
import NIOHTTP1

/// `Forge` on the GitHub REST API (`GITHUB_API_URL`, default `https://api.github.com`) over AsyncHTTPClient, with
/// `GITHUB_TOKEN` as a bearer token (never logged, never in an error). 5xx answers and rate limits (429, or 403 with
/// a rate-limit message) are retried, waiting what `retry-after` (or `x-ratelimit-reset`) asks.
public struct GitHubForge: Forge {
    public let baseURL: String
    private let token: String?
    private let http: HTTPClient
    /// Tries per call, the first included.
    public var maxAttempts: Int
    /// The longest wait for a retry; a forge asking for more fails the call at once.
    public var maxRetryWait: Duration
    /// Time limit of one HTTP request.
    public var timeout: Duration
    /// The wait before the second try when the forge names none; doubles for each later one.
    public var firstRetryWait: Duration
    /// How a wait between tries is spent (tests record the waits instead of sleeping them).
    public var sleep: @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }

    public init(baseURL: String = "https://api.github.com", token: String?, http: HTTPClient = .shared, maxAttempts: Int = 4, maxRetryWait: Duration = .seconds(60), timeout: Duration = .seconds(30), firstRetryWait: Duration = .seconds(1)) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.token = token
        self.http = http
        self.maxAttempts = max(1, maxAttempts)
        self.maxRetryWait = maxRetryWait
        self.timeout = timeout
        self.firstRetryWait = firstRetryWait
    }

    /// Reads `GITHUB_API_URL` and `GITHUB_TOKEN` (or `GITHUB_TOKEN_FILE`).
    public init(environment: SwitchboardEnvironment, http: HTTPClient = .shared) throws(ConfigurationError) {
        self.init(baseURL: environment.value("GITHUB_API_URL") ?? "https://api.github.com", token: try environment.secret("GITHUB_TOKEN"), http: http)
    }

    public func pullRequest(_ repository: RepositoryName, number: Int) async throws(ForgeError) -> PullRequest {
        try await call(.GET, repository.path("pulls", "\(number)"))
    }

    public func pullRequestFiles(_ repository: RepositoryName, number: Int) async throws(ForgeError) -> [PullRequestFile] {
        try await pages(repository.path("pulls", "\(number)", "files"))
    }

    public func reviews(_ repository: RepositoryName, number: Int) async throws(ForgeError) -> [Review] {
        try await pages(repository.path("pulls", "\(number)", "reviews"))
    }

    public func createReview(_ repository: RepositoryName, number: Int, review: NewReview) async throws(ForgeError) -> Review {
        try await call(.POST, repository.path("pulls", "\(number)", "reviews"), body: review)
    }

    public func createIssueComment(_ repository: RepositoryName, number: Int, body: String) async throws(ForgeError) -> IssueComment {
        try await call(.POST, repository.path("issues", "\(number)", "comments"), body: ["body": body])
    }

    public func issueComments(_ repository: RepositoryName, number: Int) async throws(ForgeError) -> [IssueComment] {
        try await pages(repository.path("issues", "\(number)", "comments"))
    }

    public func updateIssueComment(_ repository: RepositoryName, commentID: Int, body: String) async throws(ForgeError) -> IssueComment {
        try await call(.PATCH, repository.path("issues", "comments", "\(commentID)"), body: ["body": body])
    }

    public func updateReview(_ repository: RepositoryName, number: Int, reviewID: Int, body: String) async throws(ForgeError) -> Review {
        try await call(.PUT, repository.path("pulls", "\(number)", "reviews", "\(reviewID)"), body: ["body": body])
    }

    public func reviewComments(_ repository: RepositoryName, number: Int, reviewID: Int) async throws(ForgeError) -> [ReviewComment] {
        try await pages(repository.path("pulls", "\(number)", "reviews", "\(reviewID)", "comments"))
    }

    public func deleteReviewComment(_ repository: RepositoryName, commentID: Int) async throws(ForgeError) {
        _ = try await send(.DELETE, repository.path("pulls", "comments", "\(commentID)"), body: Optional<String>.none)
    }

    public func fileContents(_ repository: RepositoryName, path: String, ref: String) async throws(ForgeError) -> String? {
        let file: FileContent
        do {
            file = try await call(.GET, repository.path(["contents"] + path.split(separator: "/").map(String.init)), query: [("ref", ref)])
        } catch .http(404, _, _) {
            return nil
        }
        guard file.encoding == "base64", let data = Data(base64Encoded: file.content, options: .ignoreUnknownCharacters) else {
            throw .unexpectedResponse("contents of \(path) are not base64", request: "GET contents/\(path)")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// The part of GitHub's contents answer that holds a file's bytes.
    private struct FileContent: Decodable {
        var content: String
        var encoding: String
    }

    public func createPullRequest(_ repository: RepositoryName, _ request: NewPullRequest) async throws(ForgeError) -> PullRequest {
        try await call(.POST, repository.path("pulls"), body: request)
    }

    public func compare(_ repository: RepositoryName, base: String, head: String) async throws(ForgeError) -> Comparison {
        try await call(.GET, repository.path("compare", "\(base)...\(head)"))
    }

    public func replyToReviewComment(_ repository: RepositoryName, number: Int, commentID: Int, body: String) async throws(ForgeError) -> ReviewComment {
        try await call(.POST, repository.path("pulls", "\(number)", "comments", "\(commentID)", "replies"), body: ["body": body])
    }

    public func updatePullRequest(_ repository: RepositoryName, number: Int, _ update: PullRequestUpdate) async throws(ForgeError) -> PullRequest {
        try await call(.PATCH, repository.path("pulls", "\(number)"), body: update)
    }

    public func openPullRequest(_ repository: RepositoryName, head branch: String, owner: String?) async throws(ForgeError) -> PullRequest? {
        let head = "\(owner ?? repository.owner):\(branch)"
        let open: [PullRequest] = try await call(.GET, repository.path("pulls"), query: [("head", head), ("state", "open")])
        return open.first
    }

    // MARK: HTTP

    /// Every page of a list endpoint (`per_page=100&page=N` until a short page).
    private func pages<T: Decodable>(_ path: String) async throws(ForgeError) -> [T] {
        var all: [T] = []
        for page in 1...100 {
            let items: [T] = try await call(.GET, path, query: [("per_page", "100"), ("page", "\(page)")])
            all += items
            if items.count < 100 { break }
        }
        return all
    }

    private func call<T: Decodable>(_ method: HTTPMethod, _ path: String, query: [(String, String)] = []) async throws(ForgeError) -> T {
        try await call(method, path, query: query, body: Optional<String>.none)
    }

    private func call<T: Decodable, Body: Encodable>(_ method: HTTPMethod, _ path: String, query: [(String, String)] = [], body: Body?) async throws(ForgeError) -> T {
        let data = try await send(method, path, query: query, body: body)
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch {
            throw .unexpectedResponse("\(error)", request: "\(method) \(path)")
        }
    }

    private func send<Body: Encodable>(_ method: HTTPMethod, _ path: String, query: [(String, String)] = [], body: Body?) async throws(ForgeError) -> Data {
        let label = "\(method) \(path)"
        var request = HTTPClientRequest(url: baseURL + path + Self.queryString(query))
        request.method = method
        request.headers.add(name: "Accept", value: "application/vnd.github+json")
        request.headers.add(name: "X-GitHub-Api-Version", value: "2022-11-28")
        request.headers.add(name: "User-Agent", value: "switchboard/\(SwitchboardVersion.current)")
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            do {
                request.body = .bytes(ByteBuffer(data: try JSONEncoder().encode(body)))
            } catch {
                throw .invalidRequest("\(label): cannot encode the request: \(error)")
            }
        }
        var retryWait = firstRetryWait
        for attempt in 1...maxAttempts {
            let failure: ForgeError
            var asked: Duration?
            do {
                let response = try await http.execute(request, timeout: .milliseconds(Int64(timeout.milliseconds)))
                let data = Data(buffer: try await response.body.collect(upTo: 32 << 20))
                let status = Int(response.status.code)
                if (200..<300).contains(status) { return data }
                failure = .http(status: status, message: Self.message(in: data), request: label)
                asked = Self.requestedWait(response.headers)
            } catch {
                var reason = String(describing: error)
                if let token { reason = reason.replacingOccurrences(of: token, with: "***") }
                failure = .transport(reason, request: label)
            }
            guard failure.isRetryable, attempt < maxAttempts else { throw failure }
            let wait = asked ?? retryWait
            guard wait <= maxRetryWait else { throw failure }
            retryWait *= 2
            do {
                try await sleep(wait)
            } catch {
                throw failure
            }
        }
        throw .transport("no attempt made", request: label)
    }

    /// GitHub's `message` field of an error body, or the start of the body.
    static func message(in data: Data) -> String {
        if let json = try? JSONValue(parsing: data), let message = json["message"]?.stringValue { return message }
        return String(decoding: data.prefix(200), as: UTF8.self)
    }

    /// The wait a response asks for: `retry-after` seconds, or until `x-ratelimit-reset` when no requests remain.
    static func requestedWait(_ headers: HTTPHeaders) -> Duration? {
        if let seconds = headers.first(name: "retry-after").flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }) {
            return .seconds(max(0, seconds))
        }
        if headers.first(name: "x-ratelimit-remaining") == "0", let reset = headers.first(name: "x-ratelimit-reset").flatMap(Double.init) {
            return .seconds(max(0, Int((reset - Date().timeIntervalSince1970).rounded(.up))))
        }
        return nil
    }

    static func queryString(_ query: [(String, String)]) -> String {
        guard !query.isEmpty else { return "" }
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~:")
        return "?" + query.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0.1)" }.joined(separator: "&")
    }
}

extension RepositoryName {
    /// `/repos/{owner}/{name}/<components>`, each component percent-encoded.
    func path(_ components: String...) -> String {
        path(components)
    }

    func path(_ components: [String]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return (["repos", owner, name] + components).map { "/" + ($0.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0) }.joined()
    }
}
