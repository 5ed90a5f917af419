import AgentBase
import Foundation
import LLMProviders
import SwitchboardTesting
import Testing

/// `repo.merge` and `repo.rebase`: fast-forward, push, real conflicts under every strategy, tests, idempotency.
@Suite(.serialized)
struct MergeTests {
    /// `main` and `feature` both change line 2 of `config.txt`; `feature` also adds `feature.txt`.
    static func conflicting() async throws -> GitFixture {
        let repo = try await GitFixture.make()
        try await repo.commit(on: "feature", from: "main", ["config.txt": "alpha\nbeta-feature\ngamma\n", "feature.txt": "new\n"], "feature edits config")
        try await repo.commit(on: "main", ["config.txt": "alpha\nbeta-main\ngamma\n"], "main edits config")
        return repo
    }

    @Test func fastForwardMergeAndPush() async throws {
        let repo = try await GitFixture.make()
        defer { repo.remove() }
        let feature = try await repo.commit(on: "feature", from: "main", ["feature.txt": "done\n"], "feature work")
        let main = try await repo.head("main")
        let agent = try RepoAgent()

        let local = try await agent.result(RepoMergeRequest(repoURL: repo.url, source: "feature", target: "main"))
        #expect(local == RepoMergeResult(merged: true, commit: feature, pushed: false))
        #expect(try await repo.head("main") == main)

        let pushed = try await agent.result(RepoMergeRequest(repoURL: repo.url, source: "feature", target: "main", push: true))
        await agent.stop()
        #expect(pushed.merged && pushed.pushed)
        #expect(pushed.commit == feature)
        #expect(try await repo.head("main") == feature)
    }

    @Test func conflictReportReturnsHunksAndLeavesTheRemoteUntouched() async throws {
        let repo = try await Self.conflicting()
        defer { repo.remove() }
        let main = try await repo.head("main")
        let agent = try RepoAgent()

        let result = try await agent.result(RepoMergeRequest(repoURL: repo.url, source: "feature", target: "main", push: true))
        await agent.stop()
        #expect(!result.merged && !result.pushed)
        #expect(result.commit == nil)
        let hunk = ConflictHunk(ours: "beta-main\n", theirs: "beta-feature\n", base: "beta\n", startLine: 2)
        #expect(result.conflicts == [ConflictFile(path: "config.txt", hunks: [hunk])])
        #expect(try await repo.head("main") == main)
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: agent.workspace.appendingPathComponent("repo-manager/worktrees").path)) ?? []).isEmpty)
    }

    @Test(arguments: [
        (ConflictStrategy.ours, "alpha\nbeta-main\ngamma\n"),
        (.theirs, "alpha\nbeta-feature\ngamma\n"),
        (.union, "alpha\nbeta-main\nbeta-feature\ngamma\n"),
    ])
    func strategiesResolveEachHunk(strategy: ConflictStrategy, expected: String) async throws {
        let repo = try await Self.conflicting()
        defer { repo.remove() }
        let agent = try RepoAgent()

        let result = try await agent.result(RepoMergeRequest(repoURL: repo.url, source: "feature", target: "main", strategy: strategy, push: true))
        await agent.stop()
        #expect(result.merged && result.pushed)
        #expect(result.resolved == ["config.txt"])
        #expect(result.commit == (try await repo.head("main")))
        #expect(try await repo.file("config.txt", at: "main") == expected)
        #expect(try await repo.file("feature.txt", at: "main") == "new\n")
        #expect(try await repo.log("main").first == "Merge branch 'feature' into main")
    }

    @Test func binaryConflictsTakeAWholeSideOrAreReported() async throws {
        let repo = try await GitFixture.make()
        defer { repo.remove() }
        try await repo.commit(on: "feature", from: "main", ["logo.bin": "\u{0}feature\u{0}"], "feature logo")
        try await repo.commit(on: "main", ["logo.bin": "\u{0}main\u{0}"], "main logo")
        let agent = try RepoAgent()

        let union = try await agent.result(RepoMergeRequest(repoURL: repo.url, source: "feature", target: "main", strategy: .union, push: true))
        #expect(!union.merged)
        #expect(union.conflicts == [ConflictFile(path: "logo.bin", hunks: [])])
        let theirs = try await agent.result(RepoMergeRequest(repoURL: repo.url, source: "feature", target: "main", strategy: .theirs, push: true))
        await agent.stop()
        #expect(theirs.merged && theirs.resolved == ["logo.bin"])
        #expect(try await repo.file("logo.bin", at: "main") == "\u{0}feature\u{0}")
    }

    @Test func llmStrategyAsksTheModelPerHunkAndChecksWithTheTestCommand() async throws {
        let repo = try await Self.conflicting()
        defer { repo.remove() }
        let model = ScriptedModel { _ in "```\nbeta-resolved\n```" }
        let agent = try RepoAgent(model: model)

        let failing = try await agent.result(RepoMergeRequest(repoURL: repo.url, source: "feature", target: "main", strategy: .llm, push: true, testCommand: ["grep", "-q", "never-there", "config.txt"]))
        #expect(!failing.merged && !failing.pushed)
        #expect(failing.tests?.passed == false)
        #expect(try await repo.file("config.txt", at: "main") == "alpha\nbeta-main\ngamma\n")

        let passing = try await agent.result(RepoMergeRequest(repoURL: repo.url, source: "feature", target: "main", strategy: .llm, push: true, testCommand: ["grep", "-q", "beta-resolved", "config.txt"]))
        await agent.stop()
        #expect(passing.merged && passing.pushed)
        #expect(passing.tests?.passed == true)
        #expect(try await repo.file("config.txt", at: "main") == "alpha\nbeta-resolved\ngamma\n")
        let question = try #require(model.questions.sequence.first)
        #expect(question.contains("File: config.txt (conflict at line 2)"))
        #expect(question.contains("beta-main") && question.contains("beta-feature") && question.contains("Base:\nbeta\n"))
        #expect(model.questions.total == 2)
    }

    @Test("strategy llm over the OpenAI chat-completions wire format: the hunk is sent, the answer resolves it, tokens reach the task")
    func llmStrategyOverOpenAIWireFormat() async throws {
        let repo = try await Self.conflicting()
        defer { repo.remove() }
        let api = try await FakeModelAPI.started()
        try await withTeardown {
            api.script(.json([
                "id": "chatcmpl-1", "object": "chat.completion", "model": "local-model",
                "choices": [["index": 0, "finish_reason": "stop", "message": ["role": "assistant", "content": "```\nbeta-resolved\n```"]]],
                "usage": ["prompt_tokens": 210, "completion_tokens": 12, "total_tokens": 222],
            ]))
            let model = OpenAIModel(baseURL: api.url + "/v1", apiKey: nil, model: "local-model", settings: HTTPModelSettings(maxRetries: 0, streaming: false))
            let ledger = UsageLedger(registry: try AgentRegistry.load(path: RepositoryPaths.registry.path))
            let agent = try RepoAgent(model: TaskMeteredModel(base: model, ledger: ledger))
            let result = try await agent.result(RepoMergeRequest(repoURL: repo.url, source: "feature", target: "main", strategy: .llm, push: true), task: "merge-openai")
            let snapshot = try await agent.bus.broker.tasks.task("merge-openai")
            await agent.stop()
            #expect(result.merged && result.pushed && result.resolved == ["config.txt"])
            #expect(try await repo.file("config.txt", at: "main") == "alpha\nbeta-resolved\ngamma\n")
            #expect(api.received.first?.path == "/v1/chat/completions")
            #expect(api.received.first?.body["messages"]?.jsonString.contains("beta-feature") == true)
            #expect(snapshot?.fields["tokens_in"] == "210")
        } teardown: {
            await api.stop()
        }
    }

    @Test func llmResolutionWithMarkersIsRefusedAndOfflineSaysWhatToConfigure() async throws {
        let repo = try await Self.conflicting()
        defer { repo.remove() }
        let main = try await repo.head("main")
        let sloppy = try RepoAgent(model: ScriptedModel { _ in "<<<<<<< HEAD\nbeta-main\n=======\nbeta-feature\n>>>>>>> feature\n" })
        let refused = try await sloppy.failure(RepoMergeRequest(repoURL: repo.url, source: "feature", target: "main", strategy: .llm, push: true))
        await sloppy.stop()
        #expect(!refused.retryable)
        #expect(refused.error == "llm_resolution_refused")
        #expect(refused.reason.contains("still contains conflict markers"))

        let offline = try RepoAgent()
        let failure = try await offline.failure(RepoMergeRequest(repoURL: repo.url, source: "feature", target: "main", strategy: .llm, push: true))
        await offline.stop()
        #expect(!failure.retryable)
        #expect(failure.reason.contains("LLM_PROVIDER"))
        #expect(failure.reason.contains("use strategy report, ours, theirs or union"))
        #expect(try await repo.head("main") == main)
    }

    @Test func rebaseReplaysTheBranchOntoItsBaseAndPushesWithLease() async throws {
        let repo = try await GitFixture.make()
        defer { repo.remove() }
        try await repo.commit(on: "feature", from: "main", ["feature.txt": "one\n"], "feature one")
        try await repo.commit(on: "feature", ["feature.txt": "one\ntwo\n"], "feature two")
        let main = try await repo.commit(on: "main", ["main.txt": "main\n"], "main moves on")
        let agent = try RepoAgent()

        let result = try await agent.result(RepoRebaseRequest(repoURL: repo.url, branch: "feature", onto: "main", push: true))
        let branches = try await agent.result(RepoBranchesRequest(repoURL: repo.url))
        await agent.stop()
        #expect(result.rebased && result.pushed)
        #expect(result.commit == (try await repo.head("feature")))
        #expect(try await repo.log("feature") == ["feature two", "feature one", "main moves on", "initial commit"])
        #expect(try await repo.git("rev-parse", "\(result.commit ?? "")~2", in: repo.remote).hasPrefix(main))
        let feature = try #require(branches.branches.first { $0.name == "feature" })
        #expect(feature.ahead == 2 && feature.behind == 0)
    }

    @Test func rebaseConflictsAreReportedOrResolved() async throws {
        let repo = try await Self.conflicting()
        defer { repo.remove() }
        let feature = try await repo.head("feature")
        let agent = try RepoAgent()

        let reported = try await agent.result(RepoRebaseRequest(repoURL: repo.url, branch: "feature", onto: "main", push: true))
        #expect(!reported.rebased)
        #expect(reported.conflicts?.first?.hunks.first?.ours == "beta-main\n")
        #expect(reported.conflicts?.first?.hunks.first?.theirs == "beta-feature\n")
        #expect(try await repo.head("feature") == feature)

        let resolved = try await agent.result(RepoRebaseRequest(repoURL: repo.url, branch: "feature", onto: "main", strategy: .theirs, push: true))
        await agent.stop()
        #expect(resolved.rebased && resolved.pushed)
        #expect(resolved.resolved == ["config.txt"])
        #expect(try await repo.file("config.txt", at: "feature") == "alpha\nbeta-feature\ngamma\n")
        #expect(try await repo.log("feature") == ["feature edits config", "main edits config", "initial commit"])
    }

    @Test func aRetriedMergeDoesNotMergeTwice() async throws {
        let repo = try await GitFixture.make()
        defer { repo.remove() }
        try await repo.commit(on: "feature", from: "main", ["feature.txt": "work\n"], "feature work")
        try await repo.commit(on: "main", ["main.txt": "main\n"], "main moves on")
        let agent = try RepoAgent()
        let request = RepoMergeRequest(repoURL: repo.url, source: "feature", target: "main", push: true)

        let first = try await agent.result(request, task: "merge-1")
        let retried = try await agent.result(request, task: "merge-1-retry")
        await agent.stop()
        #expect(first.merged && first.pushed)
        #expect(retried == RepoMergeResult(merged: true, commit: first.commit, pushed: true))
        #expect(try await repo.head("main") == first.commit)
        #expect(try await repo.log("main").filter { $0.hasPrefix("Merge branch") }.count == 1)
    }
}
