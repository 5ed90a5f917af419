import AgentBase
import Foundation
import SwitchboardTesting
import Testing

/// `repo.branches`, `repo.branch.create`, `repo.branch.delete` and `repo.prune` against a bare repository on disk.
@Suite(.serialized)
struct BranchOperationTests {
    @Test func branchesListAheadAndBehindTheBase() async throws {
        let repo = try await GitFixture.make()
        defer { repo.remove() }
        try await repo.commit(on: "feature", from: "main", ["feature.txt": "one\n"], "feature one")
        let featureHead = try await repo.commit(on: "feature", ["feature.txt": "one\ntwo\n"], "feature two")
        try await repo.commit(on: "main", ["main.txt": "main\n"], "main moves on")
        let agent = try RepoAgent()

        let result = try await agent.result(RepoBranchesRequest(repoURL: repo.url))
        await agent.stop()

        #expect(result.base == "main")
        let byName = Dictionary(uniqueKeysWithValues: result.branches.map { ($0.name, $0) })
        #expect(Set(byName.keys) == ["main", "feature"])
        #expect(byName["feature"]?.ahead == 2)
        #expect(byName["feature"]?.behind == 1)
        #expect(byName["feature"]?.lastCommit.sha == featureHead)
        #expect(byName["feature"]?.lastCommit.subject == "feature two")
        #expect(byName["feature"]?.lastCommit.author == "Test <test@example.com>")
        #expect(byName["main"]?.ahead == 0 && byName["main"]?.behind == 0)
    }

    @Test func createAndDeleteBranchesRefusingUnmergedWithoutForce() async throws {
        let repo = try await GitFixture.make()
        defer { repo.remove() }
        let feature = try await repo.commit(on: "feature", from: "main", ["feature.txt": "work\n"], "unmerged work")
        let agent = try RepoAgent()

        let created = try await agent.result(RepoBranchCreateRequest(repoURL: repo.url, name: "release/1.0", from: "main"))
        #expect(created.commit == (try await repo.head("main")))
        #expect(try await repo.head("release/1.0") == (try await repo.head("main")))
        let again = try await agent.result(RepoBranchCreateRequest(repoURL: repo.url, name: "release/1.0", from: "main"))
        #expect(again == created)
        let clash = try await agent.failure(RepoBranchCreateRequest(repoURL: repo.url, name: "release/1.0", from: "feature"))
        #expect(clash.reason.contains("already exists"))
        let badName = try await agent.failure(RepoBranchCreateRequest(repoURL: repo.url, name: "topic.lock", from: "main"))
        #expect(badName.reason.contains("not a valid branch name"), "\(badName.reason)")
        #expect(!badName.retryable)

        let refused = try await agent.failure(RepoBranchDeleteRequest(repoURL: repo.url, name: "feature"))
        #expect(!refused.retryable)
        #expect(refused.reason.contains("1 commit not merged into 'main'") && refused.reason.contains("force"))
        #expect(try await repo.head("feature") == feature)

        let forced = try await agent.result(RepoBranchDeleteRequest(repoURL: repo.url, name: "feature", force: true))
        #expect(forced == RepoBranchDeleteResult(name: "feature", deleted: true, commit: feature))
        #expect(try await repo.head("feature") == nil)
        let merged = try await agent.result(RepoBranchDeleteRequest(repoURL: repo.url, name: "release/1.0"))
        #expect(merged.deleted)
        let gone = try await agent.result(RepoBranchDeleteRequest(repoURL: repo.url, name: "release/1.0"))
        #expect(!gone.deleted)
        let main = try await agent.failure(RepoBranchDeleteRequest(repoURL: repo.url, name: "main", force: true))
        #expect(main.reason.contains("default branch"))
        await agent.stop()
        #expect(try await repo.branches() == ["main"])
    }

    @Test func pruneListsMergedBranchesAndDeletesThemOnlyWhenAsked() async throws {
        let repo = try await GitFixture.make()
        defer { repo.remove() }
        try await repo.branch("done", from: "main")
        try await repo.commit(on: "main", ["main.txt": "later\n"], "main moves on")
        try await repo.commit(on: "open", from: "main", ["open.txt": "wip\n"], "still open")
        let agent = try RepoAgent()

        let dryRun = try await agent.result(RepoPruneRequest(repoURL: repo.url, base: "main"))
        #expect(dryRun.branches.map(\.name) == ["done"])
        #expect(dryRun.branches.first?.behind == 1)
        #expect(!dryRun.deleted)
        #expect(try await repo.branches() == ["done", "main", "open"])

        let real = try await agent.result(RepoPruneRequest(repoURL: repo.url, base: "main", dryRun: false))
        await agent.stop()
        #expect(real.branches.map(\.name) == ["done"])
        #expect(real.deleted)
        #expect(try await repo.branches() == ["main", "open"])
    }

    @Test func aMissingRepositoryOrBadRefFailsWithAReadableReason() async throws {
        let repo = try await GitFixture.make()
        defer { repo.remove() }
        let agent = try RepoAgent()

        let missing = try await agent.failure(RepoBranchesRequest(repoURL: repo.root.appendingPathComponent("nowhere.git").path))
        #expect(!missing.retryable)
        #expect(missing.error == "repository_not_found")
        #expect(missing.reason.contains("repository not found or not accessible"))

        let badRef = try await agent.failure(RepoMergeRequest(repoURL: repo.url, source: "no-such-branch", target: "main"))
        #expect(!badRef.retryable)
        #expect(badRef.reason.contains("no branch, tag or commit named 'no-such-branch'"))

        let option = try await agent.failure(RepoBranchesRequest(repoURL: "--upload-pack=touch /tmp/x"))
        #expect(option.reason.contains("refused repository URL"))
        let helper = try await agent.failure(RepoBranchesRequest(repoURL: "ext::sh -c touch% /tmp/x"))
        #expect(helper.reason.contains("remote helpers"))
        await agent.stop()
    }

    /// Any Redis client can publish: the agent itself refuses repositories outside the allow-list, at once and for good.
    @Test func aRepositoryOutsideTheAllowListIsRefusedByEveryOperation() async throws {
        let repo = try await GitFixture.make()
        defer { repo.remove() }
        let agent = try RepoAgent(environment: ["SB_REPO_ALLOW": "file:///srv/repos/", "GITHUB_ALLOWED_REPOS": "example-org/app"])
        let requests: [any AgentMessage] = [
            RepoBranchesRequest(repoURL: "https://attacker.example/x.git"),
            RepoBranchesRequest(repoURL: repo.url),
            RepoBranchDeleteRequest(repoURL: "https://github.com/example-org/private.git", name: "release-1", force: true),
            RepoMergeRequest(repoURL: "example-org/private", source: "feature", target: "main"),
            RepoPruneRequest(repoURL: "http://github.com/example-org/app.git", base: "main", dryRun: false),
        ]
        for request in requests {
            let failure = try await agent.failure(request)
            #expect(failure.error == "forbidden_repository", "\(request)")
            #expect(!failure.retryable)
            #expect(failure.reason.contains("SB_REPO_ALLOW") || failure.reason.contains("GITHUB_ALLOWED_REPOS"))
        }
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: agent.workspace.appendingPathComponent("repo-manager/mirrors").path)) ?? []).isEmpty)
        await agent.stop()
    }
}
