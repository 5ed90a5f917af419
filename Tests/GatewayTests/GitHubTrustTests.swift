import AgentBase
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SwitchboardTesting
import Testing
@testable import Gateway

/// Who may make the agents act from GitHub: the comment author's association, access.yaml, and approvals by `/approve`.
@Suite(.serialized)
struct GitHubTrustTests {
    static let repoURL = "https://github.com/example-org/example-repo"
    static let access = """
    version: 1
    identities:
      "github:maintainer": admin
    """

    private func fixture(_ github: FakeGitHub) throws -> GatewayAPITests.Fixture {
        try GitHubWebhookTests.fixture(github, extra: ["SB_REPO_ALLOW": Self.repoURL], access: Self.access)
    }

    private func post(_ client: some TestClientProtocol, _ body: String) async throws -> String {
        let response = try await client.execute(uri: "/webhooks/github", method: .post, headers: GitHubWebhookTests.headers(body, event: "issue_comment"), body: ByteBuffer(string: body))
        #expect(response.status == .ok)
        return String(buffer: response.body)
    }

    @Test("a stranger's comment (association NONE) runs nothing and gets no answer, even for a forced delete")
    func strangerIsIgnored() async throws {
        let github = FakeGitHub()
        try await github.server.start()
        let fixture = try fixture(github)
        try await fixture.gateway.makeApplication().test(.live) { client async throws in
            for association in ["NONE", "CONTRIBUTOR", "FIRST_TIME_CONTRIBUTOR"] {
                let outcome = try await post(client, GitHubWebhookTests.comment("@switchboard /delete-branch \(Self.repoURL) release-1 force", login: "stranger", association: association))
                #expect(outcome.contains("not trusted"))
            }
            let outcome = try await post(client, GitHubWebhookTests.comment("@switchboard /run sync_todos url=https://evil.example/list repo_url=example-org/example-repo path=README.md", login: "stranger", association: "NONE"))
            #expect(outcome.contains("not trusted"))
        }
        await github.server.stop()
        #expect(github.comments.isEmpty)
        #expect(try await GitHubWebhookTests.queued(fixture, agent: "repo-manager").isEmpty)
        #expect(try await GitHubWebhookTests.queued(fixture, agent: "orchestrator").isEmpty)
        #expect(try await fixture.gateway.chat.approvals.pending().isEmpty)
    }

    @Test("a collaborator (operator) may list branches; a forced delete waits for an admin's /approve, then runs once")
    func collaboratorAndApproval() async throws {
        let github = FakeGitHub()
        try await github.server.start()
        let fixture = try fixture(github)
        try await fixture.gateway.makeApplication().test(.live) { client async throws in
            let listed = try await post(client, GitHubWebhookTests.comment("@switchboard /branches \(Self.repoURL)", login: "collab", association: "COLLABORATOR"))
            #expect(listed.contains("task"))
            let asked = try await post(client, GitHubWebhookTests.comment("@switchboard /delete-branch \(Self.repoURL) release-1 force", login: "collab", association: "COLLABORATOR"))
            #expect(asked.contains("approval"))
            #expect(try await GitHubWebhookTests.queued(fixture, agent: "repo-manager").count == 1)
            let approval = try #require(try await fixture.gateway.chat.approvals.pending().first)
            #expect(approval.requester == "github:collab")
            #expect(github.comments.contains { $0.body.contains("/approve \(approval.id)") })
            // The collaborator cannot approve their own request; a stranger cannot either.
            _ = try await post(client, GitHubWebhookTests.comment("@switchboard /approve \(approval.id)", login: "collab", association: "COLLABORATOR"))
            _ = try await post(client, GitHubWebhookTests.comment("@switchboard /approve \(approval.id)", login: "stranger", association: "NONE"))
            #expect(try await GitHubWebhookTests.queued(fixture, agent: "repo-manager").count == 1)
            _ = try await post(client, GitHubWebhookTests.comment("@switchboard /approve \(approval.id)", login: "maintainer", association: "NONE"))
            _ = try await post(client, GitHubWebhookTests.comment("@switchboard /approve \(approval.id)", login: "maintainer", association: "NONE"))
        }
        await github.server.stop()
        let entries = try await GitHubWebhookTests.queued(fixture, agent: "repo-manager")
        #expect(entries.count == 2)
        #expect(entries.last?["type"] == "repo.branch.delete")
        #expect(try JSONValue(parsing: entries.last?["payload"] ?? "")["force"] == true)
        #expect(github.comments.contains { $0.body.contains("Approved by github:maintainer") })
        #expect(github.comments.contains { $0.body.contains("Only an admin") })
        let events = try await fixture.gateway.bus.redis.send(["XRANGE", fixture.environment.keys.events, "-", "+"])
        let types = (events.array ?? []).compactMap { $0.array?.last?.fieldPairs?.first { $0.0 == "type" }?.1 }
        #expect(types.filter { $0 == "approval.requested" }.count == 1)
        #expect(types.filter { $0 == "approval.approved" }.count == 1)
    }

    @Test("the signature header is checked before the body: an unsigned body over the 25 MiB limit is refused as unsigned (401), not read (413)")
    func signatureBeforeBody() async throws {
        let github = FakeGitHub()
        let fixture = try fixture(github)
        // Reading first would stop at the body limit with 413; only a header check before the read answers 401.
        let body = String(repeating: "x", count: 26 << 20)
        try await fixture.gateway.makeApplication().test(.live) { client async throws in
            var headers = GitHubWebhookTests.headers(body, event: "issue_comment")
            headers[HTTPField.Name("X-Hub-Signature-256")!] = "sha1=deadbeef"
            let response = try await client.execute(uri: "/webhooks/github", method: .post, headers: headers, body: ByteBuffer(string: body))
            #expect(response.status == .unauthorized)
            #expect(try GatewayAPITests.json(response.body)["error"]?.stringValue == "unauthorized")
        }
    }

    @Test("a repository outside the allow-list is refused before anything is published")
    func foreignRepository() async throws {
        let github = FakeGitHub()
        try await github.server.start()
        let fixture = try fixture(github)
        try await fixture.gateway.makeApplication().test(.live) { client async throws in
            _ = try await post(client, GitHubWebhookTests.comment("@switchboard /branches https://attacker.example/x.git", login: "collab", association: "OWNER"))
        }
        await github.server.stop()
        #expect(github.comments.contains { $0.body.contains("not allowed") })
        #expect(try await GitHubWebhookTests.queued(fixture, agent: "repo-manager").isEmpty)
    }
}
