import AgentBase
import CodeWriter
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LLMProviders
import NIOFoundationEssentialsCompat
import PRReviewer
import Synchronization
import SwitchboardTesting
import Testing
@testable import Gateway

/// An issue becomes a pull request with every real piece: the gateway, the orchestrator, code-writer (its model the
/// local Anthropic stand-in) and pr-reviewer (offline rules) on a real Redis, a bare repository on disk as the clone URL
/// the GitHub stand-in returns, and review feedback that becomes a second commit on the same branch.
@Suite(.serialized)
struct IssueToPullRequestTests {
    static let repo = "example-org/example-repo"

    private func post(_ client: some TestClientProtocol, _ event: String, _ body: JSONValue) async throws -> String {
        let text = body.jsonString
        let response = try await client.execute(uri: "/webhooks/github", method: .post, headers: GitHubWebhookTests.headers(text, event: event), body: ByteBuffer(string: text))
        #expect(response.status == .ok)
        return (try? JSONValue(parsing: Data(buffer: response.body)))?["outcome"]?.stringValue ?? ""
    }

    @Test("labelled issue → exactly one PR closing it (tracking comment edited per step); a second label → no second PR; changes requested → a second commit on the branch, the reviewer again, a reply; a stranger → nothing")
    func endToEnd() async throws {
        let git = try await GitFixture.make()
        let cloneURL = "file://" + git.remote.path
        let github = FakeGitHubIssues(cloneURL: cloneURL)
        github.state.permissions.withLock { $0 = ["writer": "write", "reader": "read"] }
        github.state.reviewComments.withLock {
            $0 = [900: [["id": 4401, "path": "greeting.txt", "line": 1, "body": "End it with an exclamation mark.", "user": ["login": "maintainer"]]]]
        }
        try await github.server.start()
        let api = try await FakeModelAPI.started()
        api.script(
            .anthropicMessage([FakeModelAPI.toolUse("toolu_1", "write_file", ["path": "greeting.txt", "content": "Hello, world\n"])], stop: "tool_use"),
            .anthropicMessage([["type": "text", "text": "Added greeting.txt."]], stop: "end_turn"),
            .anthropicMessage([FakeModelAPI.toolUse("toolu_2", "write_file", ["path": "greeting.txt", "content": "Hello, world!\n"])], stop: "tool_use"),
            .anthropicMessage([["type": "text", "text": "Ended the greeting with an exclamation mark."]], stop: "end_turn")
        )
        let fixture = try GatewayAPITests.Fixture([
            "GITHUB_WEBHOOK_SECRET": GitHubWebhookTests.secret, "GITHUB_TOKEN": GitHubWebhookTests.token, "GITHUB_API_URL": github.url,
            "GITHUB_ALLOWED_REPOS": Self.repo, "SB_REPO_ALLOW": GitFixture.allowedPrefix,
        ])
        let agents = [
            "SB_PREFIX": fixture.environment.keys.prefix, "GITHUB_API_URL": github.url, "GITHUB_TOKEN": GitHubWebhookTests.token,
            "GITHUB_ALLOWED_REPOS": Self.repo,
        ]
        let writer = try AgentHarness(CodeWriterService.self, environment: agents) { _ in
            AnthropicModel(baseURL: api.url, apiKey: "sk-ant-" + String(repeating: "t", count: 16), model: "claude-test", settings: HTTPModelSettings(maxRetries: 0, streaming: false))
        }
        let reviewer = try AgentHarness(PRReviewerService.self, environment: agents)
        let orchestrator = try IssueFlowTests.World.orchestrator(fixture)
        let store = IssueStore(storage: GatewayStorage(bus: fixture.gateway.bus))
        try await withTeardown {
            try await fixture.gateway.makeApplication().test(.live) { client async throws in
                #expect(try await post(client, "issues", IssueFlowTests.labeled(7, by: "writer")).contains("create_pr run"))
                try await waitUntil("the pull request is opened and recorded", timeout: .seconds(120)) { try await store.issue(Self.repo, 7)["pr"] != nil }
                try await waitUntil("the tracking comment ends") { github.comments.first { $0.number == 7 }?.body.contains("✅ Done") == true }
                #expect(try await post(client, "issues", IssueFlowTests.labeled(7, by: "writer")).contains("reported"))
                #expect(try await post(client, "issues", IssueFlowTests.labeled(8, by: "reader")).contains("not trusted"))

                let pull = try #require(github.pulls.first)
                #expect(try await post(client, "pull_request_review", IssueFlowTests.review(pull.number, id: 899, by: "stranger", association: "NONE")).contains("not trusted"))
                #expect(try await post(client, "pull_request_review", IssueFlowTests.review(pull.number, id: 900, by: "maintainer", association: "MEMBER")).contains("fix round 1 started"))
                try await waitUntil("the inline comment is answered", timeout: .seconds(120)) { github.replies.contains { $0.comment == 4401 } }
            }
            let pulls = github.pulls
            #expect(pulls.count == 1, "exactly one pull request")
            let pull = try #require(pulls.first)
            #expect(pull.head == "switchboard/issue-7")
            #expect(pull.body.contains("Closes #7"))
            #expect(!pull.draft, "the offline review of greeting.txt is clean")
            let tracking = try #require(github.comments.first { $0.number == 7 })
            #expect(tracking.bodies.count >= 6, "posted, then edited as the steps advanced: \(tracking.bodies.count) versions")
            #expect(tracking.body.contains("- [x] Pull request opened: https://github.example/\(Self.repo)/pull/\(pull.number)"))
            #expect(!github.comments.contains { $0.number == 8 }, "the stranger's label got no answer")
            #expect(try await git.file("greeting.txt", at: "switchboard/issue-7") == "Hello, world!\n")
            #expect(try await git.log("switchboard/issue-7").count == (try await git.log("main").count) + 2, "the change, then the fix round's commit on the same branch")
            #expect(!github.reviews.isEmpty, "the reviewer ran again and posted on the pull request")
            #expect(github.replies.first { $0.comment == 4401 }?.body.contains("Addressed in") == true)
            #expect(github.comments.contains { $0.number == pull.number && $0.body.contains("> Please rename it.") })
        } teardown: {
            await orchestrator.shutdown()
            await writer.stop()
            await reviewer.stop()
            await api.stop()
            await github.server.stop()
            git.remove()
        }
    }
}
