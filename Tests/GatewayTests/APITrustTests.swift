import AgentBase
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SwitchboardTesting
import Testing
@testable import Gateway

/// API tokens with roles, the repository allow-list and `reply_to` at the gateway, and approvals over the API.
@Suite(.serialized)
struct APITrustTests {
    // Assembled at run time: no literal credential in the tree.
    static let viewer = "view-" + String(repeating: "v", count: 16)
    static let operatorToken = "oper-" + String(repeating: "o", count: 16)
    static let other = "othr-" + String(repeating: "t", count: 16)
    static let admin = "admn-" + String(repeating: "a", count: 16)
    static let repoURL = "https://github.com/example-org/example-repo"

    private func fixture(_ extra: [String: String] = [:], access: String? = nil) throws -> GatewayAPITests.Fixture {
        try GatewayAPITests.Fixture([
            "GATEWAY_API_TOKENS": "look:\(Self.viewer):viewer,ops:\(Self.operatorToken):operator,ops2:\(Self.other):operator,root:\(Self.admin)",
            "GITHUB_ALLOWED_REPOS": "example-org/example-repo",
        ].merging(extra) { $1 }, access: access)
    }

    static func headers(_ token: String) -> HTTPFields { [.authorization: "Bearer \(token)", .contentType: "application/json"] }

    private func post(_ client: some TestClientProtocol, _ token: String, _ body: String) async throws -> TestResponse {
        try await client.execute(uri: "/v1/messages", method: .post, headers: Self.headers(token), body: ByteBuffer(string: body))
    }

    static func branches(_ repo: String = repoURL) -> String {
        #"{"type":"repo.branches","payload":{"repo_url":"\#(repo)"}}"#
    }

    @Test("viewers read but cannot publish; operators publish write requests but not admin ones; admins publish both")
    func roles() async throws {
        let fixture = try fixture()
        let prune = #"{"type":"repo.prune","payload":{"repo_url":"\#(Self.repoURL)","base":"main","dry_run":false}}"#
        let forced = #"{"type":"repo.branch.delete","payload":{"repo_url":"\#(Self.repoURL)","name":"old","force":true}}"#
        try await fixture.gateway.makeApplication().test(.live) { client async throws in
            let viewed = try await post(client, Self.viewer, Self.branches())
            #expect(viewed.status == .forbidden)
            #expect(try GatewayAPITests.json(viewed.body)["error"]?.stringValue == "forbidden")
            #expect(try await client.execute(uri: "/v1/agents", method: .get, headers: Self.headers(Self.viewer)).status == .ok)
            #expect(try await client.execute(uri: "/v1/approvals", method: .get, headers: Self.headers(Self.viewer)).status == .ok)
            #expect(try await post(client, Self.operatorToken, Self.branches()).status == .accepted)
            #expect(try await post(client, Self.operatorToken, prune).status == .forbidden)
            #expect(try await post(client, Self.operatorToken, forced).status == .forbidden)
            #expect(try await post(client, Self.admin, prune).status == .accepted)
            #expect(try await post(client, Self.admin, forced).status == .accepted)
            let replay = try await client.execute(uri: "/v1/dlq/repo-manager/1-0/replay", method: .post, headers: Self.headers(Self.operatorToken))
            #expect(replay.status == .forbidden)
        }
        #expect(try await fixture.gateway.bus.redis.send(["XLEN", fixture.environment.keys.inbox("repo-manager")]).int == 3)
    }

    @Test("an operator cancels only its own tasks; an admin cancels any")
    func cancelOwnOnly() async throws {
        let fixture = try fixture()
        try await fixture.gateway.makeApplication().test(.live) { client async throws in
            let accepted = try await post(client, Self.operatorToken, Self.branches())
            let task = try #require(try GatewayAPITests.json(accepted.body)["task"]?.stringValue)
            let foreign = try await client.execute(uri: "/v1/tasks/\(task)/cancel", method: .post, headers: Self.headers(Self.other))
            #expect(foreign.status == .forbidden)
            #expect(try await client.execute(uri: "/v1/tasks/\(task)/cancel", method: .post, headers: Self.headers(Self.viewer)).status == .forbidden)
            #expect(try await client.execute(uri: "/v1/tasks/\(task)/cancel", method: .post, headers: Self.headers(Self.operatorToken)).status == .ok)
            let second = try await post(client, Self.other, Self.branches())
            let secondTask = try #require(try GatewayAPITests.json(second.body)["task"]?.stringValue)
            #expect(try await client.execute(uri: "/v1/tasks/\(secondTask)/cancel", method: .post, headers: Self.headers(Self.admin)).status == .ok)
        }
    }

    @Test("access.yaml overrides a token's role; a token without a role is admin")
    func accessFileOverridesTokens() async throws {
        let fixture = try fixture(access: "version: 1\nidentities:\n  \"api:root\": viewer\n  \"api:ops\": none\n")
        try await fixture.gateway.makeApplication().test(.live) { client async throws in
            #expect(try await post(client, Self.admin, Self.branches()).status == .forbidden)
            #expect(try await client.execute(uri: "/v1/agents", method: .get, headers: Self.headers(Self.operatorToken)).status == .forbidden)
        }
    }

    @Test("a repository outside GITHUB_ALLOWED_REPOS and SB_REPO_ALLOW is 403 forbidden_repository; a listed prefix passes")
    func repositoryAllowList() async throws {
        let fixture = try fixture(["SB_REPO_ALLOW": "file:///srv/repos/,http://git.internal.example/team/"])
        try await fixture.gateway.makeApplication().test(.live) { client async throws in
            for repo in ["https://attacker.example/x.git", "https://github.com/other-org/secret", "http://github.com/example-org/example-repo", "file:///etc/", "https://x-access-token@github.com/example-org/example-repo"] {
                let refused = try await post(client, Self.admin, Self.branches(repo))
                #expect(refused.status == .forbidden, "\(repo)")
                #expect(try GatewayAPITests.json(refused.body)["error"]?.stringValue == "forbidden_repository", "\(repo)")
            }
            let workflow = #"{"type":"workflow.run","payload":{"workflow":"create_pr","inputs":{"repo_url":"https://attacker.example/x.git","base":"main","spec":"x"}}}"#
            #expect(try await post(client, Self.admin, workflow).status == .forbidden)
            for repo in ["file:///srv/repos/app.git", "http://git.internal.example/team/app.git", Self.repoURL, "\(Self.repoURL).git"] {
                #expect(try await post(client, Self.admin, Self.branches(repo)).status == .accepted, "\(repo)")
            }
        }
        #expect(try await fixture.gateway.bus.redis.send(["XLEN", fixture.environment.keys.inbox("repo-manager")]).int == 4)
    }

    @Test("reply_to must be a stream under <prefix>:reply:, else 400 and nothing is published")
    func replyTo() async throws {
        let fixture = try fixture()
        let prefix = fixture.environment.keys.prefix
        try await fixture.gateway.makeApplication().test(.live) { client async throws in
            for bad in ["\(prefix):task:x", "\(prefix):in:scraper", "\(prefix):events", "elsewhere", "\(prefix):reply:"] {
                let body = #"{"type":"repo.branches","payload":{"repo_url":"\#(Self.repoURL)"},"reply_to":"\#(bad)"}"#
                let response = try await post(client, Self.admin, body)
                #expect(response.status == .badRequest, "\(bad)")
                #expect(try GatewayAPITests.json(response.body)["error"]?.stringValue == "bad_reply_to")
            }
            let good = #"{"type":"repo.branches","payload":{"repo_url":"\#(Self.repoURL)"},"reply_to":"\#(prefix):reply:client-1"}"#
            #expect(try await post(client, Self.admin, good).status == .accepted)
        }
        #expect(try await fixture.gateway.bus.redis.send(["XLEN", fixture.environment.keys.inbox("repo-manager")]).int == 1)
    }
}
