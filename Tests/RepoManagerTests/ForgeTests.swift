import AgentBase
import Forge
import Foundation
import SwitchboardTesting
import Testing

/// `GitHubForge` against a local server speaking GitHub's wire format.
@Suite(.serialized)
struct ForgeTests {
    static let token = "ghp_" + String(repeating: "y", count: 36)
    static let repository = RepositoryName("example-org/example-repo")!

    static func forge(_ api: FakeGitHubAPI) -> GitHubForge {
        GitHubForge(baseURL: api.url, token: token, firstRetryWait: .milliseconds(10))
    }

    @Test func pullRequestAndEveryPageOfItsFiles() async throws {
        let api = FakeGitHubAPI()
        try await api.server.start()
        let forge = Self.forge(api)

        let pull = try await forge.pullRequest(Self.repository, number: 7)
        let files = try await forge.pullRequestFiles(Self.repository, number: 7)
        await api.server.stop()

        #expect(pull.head.ref == "feature" && pull.base.ref == "main")
        #expect(pull.head.sha == String(repeating: "b", count: 40))
        #expect(pull.head.repository?.cloneURL == "https://github.example/example-org/example-repo.git")
        #expect(pull.base.repository == nil)
        #expect(files.count == FakeGitHubAPI.fileCount)
        #expect(files[0].patch == nil && files[0].filename == "logo.png")
        #expect(files[1].patch == "@@ -1 +1,2 @@\n-a\n+b\n+c" && files[1].additions == 2)
        let pages = api.requests.filter { $0.path.hasSuffix("/files") }.map(\.query)
        #expect(pages == ["per_page=100&page=1", "per_page=100&page=2", "per_page=100&page=3"])
        let headers = try #require(api.requests.first?.headers)
        #expect(headers["authorization"] == "Bearer \(Self.token)")
        #expect(headers["accept"] == "application/vnd.github+json")
        #expect(headers["x-github-api-version"] == "2022-11-28")
        #expect(headers["user-agent"]?.hasPrefix("switchboard/") == true)
        let configured = try GitHubForge(environment: SwitchboardEnvironment(["GITHUB_API_URL": api.url + "/"]))
        #expect(configured.baseURL == api.url)
    }

    @Test func aReviewIsPostedInGitHubsShapeAndUpdated() async throws {
        let api = FakeGitHubAPI()
        try await api.server.start()
        let forge = Self.forge(api)
        let sha = String(repeating: "b", count: 40)

        let review = try await forge.createReview(Self.repository, number: 7, review: NewReview(body: "summary", commitID: sha, comments: [NewReview.Comment(path: "src/a.swift", line: 12, body: "a finding")]))
        let updated = try await forge.updateReview(Self.repository, number: 7, reviewID: review.id, body: "updated")
        let open = try await forge.openPullRequest(Self.repository, head: "feature", owner: nil)
        await api.server.stop()

        #expect(review.id == 80 && review.user?.login == "switchboard")
        #expect(updated.body == "updated")
        #expect(open == nil)
        let posted = try #require(api.requests.first { $0.method == "POST" })
        #expect(posted.path == "/repos/example-org/example-repo/pulls/7/reviews")
        let body = try JSONValue(parsing: posted.body)
        #expect(body == JSONValue.object([
            "body": "summary", "event": "COMMENT", "commit_id": .string(sha),
            "comments": [["path": "src/a.swift", "line": 12, "side": "RIGHT", "body": "a finding"]],
        ]))
        let put = try #require(api.requests.first { $0.method == "PUT" })
        #expect(put.path == "/repos/example-org/example-repo/pulls/7/reviews/80")
        #expect(try JSONValue(parsing: put.body) == ["body": "updated"])
        #expect(api.requests.contains { $0.path == "/repos/example-org/example-repo/pulls" && $0.query == "head=example-org:feature&state=open" })
    }

    @Test func pullRequestsAreOpenedAndReviewCommentsListedAndDeleted() async throws {
        let api = FakeGitHubAPI()
        try await api.server.start()
        let forge = Self.forge(api)

        let opened = try await forge.createPullRequest(Self.repository, NewPullRequest(title: "Add things", head: "feature", base: "main", body: "Made by Switchboard"))
        let comments = try await forge.reviewComments(Self.repository, number: 7, reviewID: 80)
        try await forge.deleteReviewComment(Self.repository, commentID: comments[0].id)
        await api.server.stop()

        #expect(opened.number == 8 && opened.htmlURL == "https://github.example/pr/8")
        let created = try #require(api.requests.first { $0.method == "POST" })
        #expect(created.path == "/repos/example-org/example-repo/pulls")
        #expect(try JSONValue(parsing: created.body) == ["title": "Add things", "head": "feature", "base": "main", "body": "Made by Switchboard", "draft": false])
        #expect(comments.map(\.id) == [501, 502])
        #expect(comments[0].pullRequestReviewID == 80 && comments[0].line == 12 && comments[1].line == nil)
        #expect(api.requests.contains { $0.method == "DELETE" && $0.path == "/repos/example-org/example-repo/pulls/comments/501" })
    }

    /// A forge on the fake whose waits between tries are recorded, not slept.
    static func recordingForge(_ api: FakeGitHubAPI) -> (forge: GitHubForge, waits: Tally) {
        var forge = Self.forge(api)
        let waits = Tally()
        forge.sleep = { waits.record("\($0)") }
        return (forge, waits)
    }

    @Test func serverErrorsAndRateLimitsAreRetriedAfterWhatTheyAsk() async throws {
        let api = FakeGitHubAPI()
        try await api.server.start()
        let (forge, waits) = Self.recordingForge(api)
        try await withTeardown {
            api.fail([(503, 0), (429, 1)])
            let pull = try await forge.pullRequest(Self.repository, number: 7)
            #expect(pull.number == 7)
            #expect(waits.sequence == ["\(Duration.zero)", "\(Duration.seconds(1))"])  // what retry-after asked, each time
            #expect(api.requests.count == 3)
        } teardown: {
            await api.server.stop()
        }
    }

    @Test func serverErrorsAreRetriedWithDoublingWaitsUpToMaxAttempts() async throws {
        let api = FakeGitHubAPI()
        try await api.server.start()
        let (forge, waits) = Self.recordingForge(api)  // first wait 10 ms
        try await withTeardown {
            api.fail([(500, -1), (500, -1), (500, -1), (500, -1)])
            let error = await #expect(throws: ForgeError.self) { try await forge.pullRequest(Self.repository, number: 7) }
            #expect(error == .http(status: 500, message: "try again later", request: "GET /repos/example-org/example-repo/pulls/7"))
            #expect(api.requests.count == 4)
            #expect(waits.sequence == [Duration.milliseconds(10), .milliseconds(20), .milliseconds(40)].map { "\($0)" })
        } teardown: {
            await api.server.stop()
        }
    }

    @Test func aRetryAfterPastTheLimitFailsAtOnce() async throws {
        let api = FakeGitHubAPI()
        try await api.server.start()
        let (forge, waits) = Self.recordingForge(api)
        try await withTeardown {
            api.fail([(429, 3600)])
            let tooLong = await #expect(throws: ForgeError.self) { try await forge.pullRequest(Self.repository, number: 7) }
            #expect(tooLong?.isRetryable == true)
            #expect(api.requests.count == 1)
            #expect(waits.total == 0)
        } teardown: {
            await api.server.stop()
        }
    }

    @Test func anErrorNamesTheRequestAndNeverTheToken() async throws {
        let api = FakeGitHubAPI()
        try await api.server.start()
        let notFound = await #expect(throws: ForgeError.self) { try await Self.forge(api).openPullRequest(Self.repository, head: "other", owner: nil) }
        await api.server.stop()
        #expect(notFound == .http(status: 404, message: "Not Found", request: "GET /repos/example-org/example-repo/pulls"))
        #expect(notFound?.description.contains(Self.token) == false)
    }
}
