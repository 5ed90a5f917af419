import AgentBase
import Foundation
import SwitchboardTesting
import Testing

/// `code.write` with explicit edits, offline: the branch, the tests, the push and the pull request.
@Suite("CodeWriter: explicit edits", .serialized)
struct ExplicitEditTests {
    @Test("whole-file and patch edits become a pushed branch with passing tests and an opened PR (exact payload)")
    func editsOpenAPullRequest() async throws {
        let world = try await WriterFixture()
        try await withTeardown {
            let patch = "--- a/README.md\n+++ b/README.md\n@@ -1 +1,3 @@\n # demo\n+\n+Says hello.\n"
            let request = world.request(edits: [.file("greeting.txt", content: "Hello, world\n"), .patch(patch)])
            let result = try await world.agent.result(request, task: "cw-edits-1")

            #expect(result.branch == "switchboard/cw-edits-1-add-a-greeting-file")
            #expect(result.tests == TestRunReport(passed: true, outputTail: "1 test passed\n"))
            #expect(result.prURL == "https://github.example/example-org/example-repo/pull/1")
            #expect(result.note == nil)
            #expect(try await world.git.head(result.branch) == result.commit)
            #expect(try await world.git.file("greeting.txt", at: result.branch) == "Hello, world\n")
            #expect(try await world.git.file("README.md", at: result.branch) == "# demo\n\nSays hello.\n")
            #expect(try await world.git.log(result.branch) == ["Add a greeting file.", "add the test script", "initial commit"])
            #expect((try? await world.git.file("test-run.log", at: result.branch)) == nil)
            let message = try await GitFixture.run(["log", "-1", "--format=%an <%ae>%n%B", result.commit], in: world.git.remote)
            #expect(message.trimmingCharacters(in: .newlines) == "Repo Bot <bot@example.com>\nAdd a greeting file.\n\nSwitchboard-Task: cw-edits-1")

            let posts = world.forge.requests.filter { $0.method == "POST" }
            #expect(posts.map(\.path) == ["/repos/example-org/example-repo/pulls"])
            let payload = try JSONValue(parsing: try #require(posts.first).body)
            let body = "Add a greeting file.\n\n### Tests\n\n`sh test.sh` passed ✅\n\n```\n1 test passed\n```\n\n---\nWritten by Switchboard code-writer for task `cw-edits-1`."
            #expect(payload == ["title": "Add a greeting file.", "head": .string(result.branch), "base": "main", "body": .string(body), "draft": false])
            let progress = try await world.progress(of: "cw-edits-1")
            #expect(progress.contains("applying 2 edits"))
            #expect(progress.contains("running sh test.sh"))
        } teardown: {
            await world.stop()
        }
    }

    @Test("a patch that does not apply fails with apply_failed naming the file and hunk; nothing is pushed")
    func patchDoesNotApply() async throws {
        let world = try await WriterFixture()
        try await withTeardown {
            let patch = "--- a/config.txt\n+++ b/config.txt\n@@ -2,2 +2,2 @@\n beta\n-delta\n+epsilon\n"
            let failure = try await world.agent.failure(world.request(edits: [.file("greeting.txt", content: "Hello, world\n"), .patch(patch)]))

            #expect(failure.error == "apply_failed")
            #expect(failure.retryable == false)
            #expect(failure.reason.hasPrefix("apply failed: edit 2 of 2: the patch does not apply to config.txt at hunk @@ -2,2 +2,2 @@"))
            #expect(try await world.git.branches() == ["main"])
            #expect(world.forge.requests.isEmpty)
        } teardown: {
            await world.stop()
        }
    }

    @Test("failing tests are reported: the branch is pushed for inspection, no PR is opened")
    func failingTests() async throws {
        let world = try await WriterFixture()
        try await withTeardown {
            let result = try await world.agent.result(world.request(edits: [.file("greeting.txt", content: "Hello, wrld\n")]), task: "cw-fail-1")

            #expect(result.tests?.passed == false)
            #expect(result.tests?.outputTail.contains("FAIL: greeting.txt does not say 'Hello, world'") == true)
            #expect(result.prURL == nil)
            #expect(result.note == "the tests failed: the branch was pushed for inspection; no pull request was opened")
            #expect(try await world.git.head(result.branch) == result.commit)
            #expect(world.forge.requests.isEmpty)
        } teardown: {
            await world.stop()
        }
    }

    @Test("a given branch that exists is a follow-up: the change is committed on top of it; a follow-up that changes nothing leaves it and still opens the PR")
    func followUpOnExistingBranch() async throws {
        let world = try await WriterFixture()
        try await withTeardown {
            let earlier = try await world.git.commit(on: "feature", from: "main", ["other.txt": "earlier work\n"], "earlier work")
            var request = world.request(edits: [.file("greeting.txt", content: "Hello, world\n")], openPR: false)
            request.branch = "feature"
            let result = try await world.agent.result(request, task: "cw-follow-1")

            #expect(result.branch == "feature")
            #expect(try await world.git.head("feature") == result.commit)
            #expect(try await world.git.log("feature").dropFirst().first == "earlier work")
            #expect(try await world.git.file("other.txt", at: "feature") == "earlier work\n")
            #expect(result.commit != earlier)

            var publish = world.request(edits: [], openPR: true)
            publish.branch = "feature"
            let published = try await world.agent.result(publish, task: "cw-follow-2")
            #expect(published.commit == result.commit)
            #expect(published.note?.hasPrefix("nothing to change: feature stays at") == true)
            #expect(published.prURL != nil)
            #expect(world.forge.pulls.map(\.head) == ["feature"])
        } teardown: {
            await world.stop()
        }
    }

    @Test("a spec without edits and without a model fails at once, saying to configure LLM_PROVIDER or pass edits")
    func offlineWithoutEdits() async throws {
        let world = try await WriterFixture()
        try await withTeardown {
            let failure = try await world.agent.failure(world.request())

            #expect(failure.error == "model_failed")
            #expect(failure.retryable == false)
            #expect(failure.reason.contains("LLM_PROVIDER"))
            #expect(failure.reason.contains("edits"))
            #expect(try await world.git.branches() == ["main"])
        } teardown: {
            await world.stop()
        }
    }

    @Test("a retry of the same task reuses its branch and its PR: one commit, one pull request")
    func retryIsIdempotent() async throws {
        let world = try await WriterFixture()
        try await withTeardown {
            // Attempt 1 pushes, then cannot reach GitHub (every try of the PR lookup answers 503) and fails retryably.
            // Attempt 2 finds its branch; its create is applied by GitHub but the answer is lost (502), the forge client
            // tries again, gets 422 (the PR exists) and finds the PR.
            world.forge.failNext("GET pulls", count: 4)
            world.forge.loseNextCreate()
            let request = world.request(edits: [.file("greeting.txt", content: "Hello, world\n")])
            let result = try await world.agent.result(request, task: "cw-retry-1", timeout: .seconds(120))

            #expect(result.prURL == "https://github.example/example-org/example-repo/pull/1")
            #expect(world.forge.pulls.count == 1)
            #expect(try await world.git.log(result.branch) == ["Add a greeting file.", "add the test script", "initial commit"])
            #expect(try await world.git.head(result.branch) == result.commit)
            #expect(try await world.agent.bus.broker.tasks.task("cw-retry-1")?.attempts == 2)
            #expect(try await world.progress(of: "cw-retry-1").contains("\(result.branch) already holds this task's commit; reusing it"))
        } teardown: {
            await world.stop()
        }
    }
}
