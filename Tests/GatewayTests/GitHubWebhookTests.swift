import AgentBase
import Crypto
import Foundation
import SwitchboardTesting
@testable import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// GitHub webhooks end to end: signed deliveries in, messages published, results posted back to a fake GitHub API.
@Suite(.serialized)
struct GitHubWebhookTests {
    static let secret = "gh-hook-" + String(repeating: "x", count: 24)
    static let token = "fake-" + "github-token"

    static func signature(_ body: String, secret: String = secret) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Data(body.utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return "sha256=" + code.map { String(format: "%02x", $0) }.joined()
    }

    static func headers(_ body: String, event: String, delivery: String = UUID().uuidString, signature: String? = nil) -> HTTPFields {
        var fields: HTTPFields = [.contentType: "application/json"]
        fields[HTTPField.Name("X-GitHub-Event")!] = event
        fields[HTTPField.Name("X-GitHub-Delivery")!] = delivery
        fields[HTTPField.Name("X-Hub-Signature-256")!] = signature ?? Self.signature(body)
        return fields
    }

    static func pullRequest(repo: String = "example-org/example-repo", number: Int = 12, action: String = "opened") -> String {
        #"{"action":"\#(action)","number":\#(number),"pull_request":{"number":\#(number)},"repository":{"full_name":"\#(repo)"}}"#
    }

    static func comment(_ text: String, repo: String = "example-org/example-repo", number: Int = 5, userType: String = "User", login: String = "octo", association: String = "MEMBER") -> String {
        let body = JSONValue.string(text).jsonString
        return #"{"action":"created","issue":{"number":\#(number)},"comment":{"id":77,"body":\#(body),"author_association":"\#(association)","user":{"login":"\#(login)","type":"\#(userType)"}},"repository":{"full_name":"\#(repo)"}}"#
    }

    static func fixture(_ github: FakeGitHub, extra: [String: String] = [:], access: String? = nil) throws -> GatewayAPITests.Fixture {
        try GatewayAPITests.Fixture([
            "GITHUB_WEBHOOK_SECRET": Self.secret, "GITHUB_TOKEN": Self.token, "GITHUB_API_URL": github.url,
            "GITHUB_ALLOWED_REPOS": "example-org/example-repo",
        ].merging(extra) { $1 }, access: access)
    }

    private func fixture(_ github: FakeGitHub, extra: [String: String] = [:]) throws -> GatewayAPITests.Fixture {
        try Self.fixture(github, extra: extra)
    }

    static func queued(_ fixture: GatewayAPITests.Fixture, agent: String) async throws -> [StreamEntry] {
        let reply = try await fixture.gateway.bus.redis.send(["XRANGE", fixture.environment.keys.inbox(agent), "-", "+"])
        return (reply.array ?? []).map { reply in
            let parts = reply.array ?? []
            return StreamEntry(id: parts.first?.string ?? "", fields: parts.count > 1 ? parts[1].fieldPairs : nil)
        }
    }

    @Test("good, bad and missing signatures; a replayed delivery id is handled once; pull_request → pr.review")
    func signaturesAndPullRequests() async throws {
        let github = FakeGitHub()
        try await github.server.start()
        let fixture = try fixture(github)
        let body = Self.pullRequest()
        try await fixture.gateway.makeApplication().test(.live) { client in
            var missing = Self.headers(body, event: "pull_request")
            missing[HTTPField.Name("X-Hub-Signature-256")!] = nil
            #expect(try await client.execute(uri: "/webhooks/github", method: .post, headers: missing, body: ByteBuffer(string: body)).status == .unauthorized)
            let wrong = Self.headers(body, event: "pull_request", signature: Self.signature(body, secret: "not-the-secret"))
            #expect(try await client.execute(uri: "/webhooks/github", method: .post, headers: wrong, body: ByteBuffer(string: body)).status == .unauthorized)
            let good = Self.headers(body, event: "pull_request", delivery: "delivery-1")
            let first = try await client.execute(uri: "/webhooks/github", method: .post, headers: good, body: ByteBuffer(string: body))
            #expect(first.status == .ok)
            #expect(String(buffer: first.body).contains("review queued"))
            let replay = try await client.execute(uri: "/webhooks/github", method: .post, headers: good, body: ByteBuffer(string: body))
            #expect(replay.status == .ok)
            #expect(String(buffer: replay.body).contains("duplicate"))
        }
        await github.server.stop()
        let entries = try await Self.queued(fixture, agent: "pr-reviewer")
        #expect(entries.count == 1)
        #expect(entries.first?["type"] == "pr.review")
        #expect(entries.first?["source"] == "github:example-org/example-repo#12")
        #expect(try JSONValue(parsing: entries.first?["payload"] ?? "") == ["number": 12, "post": true, "repo": "example-org/example-repo", "trigger": "opened"])
    }

    @Test("without GITHUB_WEBHOOK_SECRET every delivery is refused (fail closed)")
    func failsClosed() async throws {
        let github = FakeGitHub()
        let fixture = try GatewayAPITests.Fixture(["GITHUB_API_URL": github.url])
        let body = Self.pullRequest()
        try await fixture.gateway.makeApplication().test(.live) { client in
            let response = try await client.execute(uri: "/webhooks/github", method: .post, headers: Self.headers(body, event: "pull_request"), body: ByteBuffer(string: body))
            #expect(response.status == .unauthorized)
        }
    }

    @Test("on a pull request, @switchboard /improve and /ask mean that pull request: published with its repo and number, /improve posted there")
    func commandOnPullRequest() async throws {
        let github = FakeGitHub()
        try await github.server.start()
        let fixture = try fixture(github)
        try await fixture.gateway.makeApplication().test(.live) { client in
            for text in ["@switchboard /improve", "@switchboard /ask does it touch the tests?"] {
                let body = #"{"action":"created","issue":{"number":12,"pull_request":{"url":"https://api.github.example/repos/example-org/example-repo/pulls/12"}},"comment":{"id":78,"body":\#(JSONValue.string(text).jsonString),"author_association":"MEMBER","user":{"login":"octo","type":"User"}},"repository":{"full_name":"example-org/example-repo"}}"#
                let response = try await client.execute(uri: "/webhooks/github", method: .post, headers: Self.headers(body, event: "issue_comment"), body: ByteBuffer(string: body))
                #expect(response.status == .ok)
            }
        }
        await github.server.stop()
        let payloads = try await Self.queued(fixture, agent: "pr-reviewer").compactMap { entry in entry.fields?.first { $0.0 == "payload" }.flatMap { try? JSONValue(parsing: $0.1) } }
        #expect(payloads == [
            ["repo": "example-org/example-repo", "number": 12, "post": true],
            ["repo": "example-org/example-repo", "number": 12, "question": "does it touch the tests?"],
        ])
    }

    @Test("a question in a review comment on a pull request becomes pr.ask about that file and line, answered in its thread; an untrusted commenter's is ignored")
    func questionOnALine() async throws {
        let github = FakeGitHub()
        try await github.server.start()
        let fixture = try fixture(github)
        try await fixture.gateway.makeApplication().test(.live) { client in
            for (login, association, id) in [("octo", "MEMBER", 4401), ("drive-by", "NONE", 4402)] {
                let body = #"{"action":"created","pull_request":{"number":12},"comment":{"id":\#(id),"path":"app/db.py","line":17,"body":"@switchboard can this be injected?","author_association":"\#(association)","user":{"login":"\#(login)","type":"User"}},"repository":{"full_name":"example-org/example-repo"}}"#
                let response = try await client.execute(uri: "/webhooks/github", method: .post, headers: Self.headers(body, event: "pull_request_review_comment"), body: ByteBuffer(string: body))
                #expect(response.status == .ok)
            }
        }
        await github.server.stop()
        let queued = try await Self.queued(fixture, agent: "pr-reviewer")
        let payloads = queued.compactMap { entry in entry.fields?.first { $0.0 == "payload" }.flatMap { try? JSONValue(parsing: $0.1) } }
        #expect(payloads == [[
            "repo": "example-org/example-repo", "number": 12, "question": "can this be injected?", "post": true, "path": "app/db.py", "line": 17, "reply_to": 4401,
        ]])
        #expect(queued.first?.fields?.first { $0.0 == "type" }?.1 == "pr.ask")
        #expect(github.comments.isEmpty)
    }

    @Test("a comment mentioning the bot runs the command; the result is posted back as an issue comment")
    func commentCommand() async throws {
        let github = FakeGitHub()
        try await github.server.start()
        let fixture = try fixture(github)
        try await fixture.withScraper {
            let body = Self.comment("Thanks! @switchboard /sync-todos https://todo.example.com/list")
            try await fixture.gateway.makeApplication().test(.live) { client in
                let response = try await client.execute(uri: "/webhooks/github", method: .post, headers: Self.headers(body, event: "issue_comment"), body: ByteBuffer(string: body))
                #expect(response.status == .ok)
                try await waitUntil("the result comment") { github.comments.contains { $0.body.contains("write tests") } }
            }
        }
        await github.server.stop()
        let comments = github.comments
        #expect(comments.first?.path == "/repos/example-org/example-repo/issues/5/comments")
        #expect(comments.first?.body.hasPrefix("Working on it") == true)
        #expect(comments.contains { $0.method == "POST" && $0.body.contains("- [x] write tests") })
        #expect(comments.allSatisfy { $0.authorization == "Bearer \(Self.token)" })
    }

    @Test("repositories outside GITHUB_ALLOWED_REPOS, bot comments and comments without a mention are ignored")
    func ignored() async throws {
        let github = FakeGitHub()
        try await github.server.start()
        let fixture = try fixture(github)
        let deliveries = [
            (Self.pullRequest(repo: "someone-else/repo"), "pull_request"),
            (Self.comment("@switchboard /sync-todos https://todo.example.com/x", userType: "Bot"), "issue_comment"),
            (Self.comment("no mention here"), "issue_comment"),
            (Self.pullRequest(action: "closed"), "pull_request"),
        ]
        try await fixture.gateway.makeApplication().test(.live) { client in
            for (body, event) in deliveries {
                let response = try await client.execute(uri: "/webhooks/github", method: .post, headers: Self.headers(body, event: event), body: ByteBuffer(string: body))
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("ignored"))
            }
        }
        await github.server.stop()
        #expect(try await Self.queued(fixture, agent: "pr-reviewer").isEmpty)
        #expect(try await Self.queued(fixture, agent: "scraper").isEmpty)
        #expect(github.comments.isEmpty)
    }
}
