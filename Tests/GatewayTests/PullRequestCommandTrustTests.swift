import AgentBase
import SwitchboardTesting
import Testing
@testable import Gateway

/// `/describe`, `/ask` and `/improve` from chat: a viewer may not start them, and a repository outside the forge's allow-list is
/// refused; nothing reaches the PR reviewer's stream in either case.
struct PullRequestCommandTrustTests {
    @Test("a viewer's /describe, /ask and /improve are refused; an operator's on a stranger's repository is refused; an operator's on an allowed one is published")
    func wrongPersonAndStrangersRepository() async throws {
        let access = """
        version: 1
        defaults:
          telegram: operator
        identities:
          "telegram:7": viewer
        """
        let fixture = try GatewayAPITests.Fixture(["GITHUB_ALLOWED_REPOS": "example-org/example-repo"], access: access)
        let chat = fixture.gateway.chat
        func say(_ text: String, as user: String) async throws -> String {
            try await chat.handle(InboundMessage(origin: Origin(channel: "telegram", chat: "700"), user: user, text: text, trusted: true)).text
        }
        func published() async throws -> Int {
            try await fixture.gateway.bus.redis.send(["XLEN", fixture.environment.keys.inbox("pr-reviewer")]).int ?? 0
        }
        #expect(try await say("/describe example-org/example-repo 7", as: "7").contains("needs write permission"))
        #expect(try await say("/ask example-org/example-repo 7 is it safe?", as: "7").contains("needs write permission"))
        #expect(try await say("/improve example-org/example-repo 7", as: "7").contains("needs write permission"))
        #expect(try await say("/improve https://github.com/attacker-org/repo/pull/7", as: "42").hasPrefix("Refused:"))
        #expect(try await say("/describe example-org/private 7", as: "42").hasPrefix("Refused:"))
        #expect(try await say("/ask attacker-org/repo 7 what does it do?", as: "42").hasPrefix("Refused:"))
        #expect(try await published() == 0)
        #expect(try await say("/describe example-org/example-repo 7", as: "42").contains("task"))
        #expect(try await published() == 1)
    }
}
