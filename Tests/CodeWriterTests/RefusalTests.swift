import AgentBase
import Foundation
import SwitchboardTesting
import Testing

/// What code-writer refuses whoever publishes it: repositories outside the allow-list and edits into `.git`, each
/// failing the task at once and for good, with nothing written or pushed.
@Suite("CodeWriter: refusals", .serialized)
struct RefusalTests {
    @Test("a repo_url or a PR repository outside the allow-list fails with forbidden_repository; nothing is cloned or opened")
    func repositoryOutsideTheAllowList() async throws {
        let world = try await WriterFixture(environment: ["GITHUB_ALLOWED_REPOS": "example-org/example-repo"])
        try await withTeardown {
            var foreign = world.request(edits: [.file("greeting.txt", content: "Hello, world\n")])
            foreign.repoURL = "https://attacker.example/x.git"
            let refusedURL = try await world.agent.failure(foreign)
            var otherPR = world.request(edits: [.file("greeting.txt", content: "Hello, world\n")])
            otherPR.repo = "example-org/private"
            let refusedPR = try await world.agent.failure(otherPR)

            for failure in [refusedURL, refusedPR] {
                #expect(failure.error == "forbidden_repository")
                #expect(failure.retryable == false)
            }
            #expect(refusedURL.reason.contains("SB_REPO_ALLOW"))
            #expect(refusedPR.reason.contains("example-org/private is not in GITHUB_ALLOWED_REPOS"))
            #expect(try await world.git.branches() == ["main"])
            #expect(world.forge.requests.isEmpty)
            let mirrors = world.agent.workspace.appendingPathComponent("code-writer/mirrors").path
            #expect(((try? FileManager.default.contentsOfDirectory(atPath: mirrors)) ?? []).isEmpty)
        } teardown: {
            await world.stop()
        }
    }

    @Test("an edit into .git (./.git, a/../.git/config, .GIT) fails with forbidden_path and changes nothing")
    func editIntoGitDirectory() async throws {
        let world = try await WriterFixture()
        try await withTeardown {
            let marker = world.agent.workspace.appendingPathComponent("pwned")
            let attacks: [[CodeEdit]] = [
                [.file("./.git", content: "gitdir: /tmp/evil\n")],
                [.file("greeting.txt", content: "Hello, world\n"), .file("a/../.git/config", content: "[core]\n\tfsmonitor = touch \(marker.path)\n")],
                [.file(".GIT/hooks/pre-commit", content: "#!/bin/sh\ntouch \(marker.path)\n")],
            ]
            for edits in attacks {
                let failure = try await world.agent.failure(world.request(edits: edits, openPR: false))
                #expect(failure.error == "forbidden_path", "\(edits)")
                #expect(failure.retryable == false)
                #expect(failure.reason.contains("the .git directory is off limits"))
            }
            #expect(try await world.git.branches() == ["main"])
            #expect(!FileManager.default.fileExists(atPath: marker.path))
            // The agent's git still works on the repository afterwards.
            let result = try await world.agent.result(world.request(edits: [.file("greeting.txt", content: "Hello, world\n")], openPR: false))
            #expect(result.tests?.passed == true)
        } teardown: {
            await world.stop()
        }
    }
}
