import AgentBase
import Forge
import Foundation
import GitKit
import LLMProviders
import Logging
@testable import PRReviewer
import SwitchboardTesting
import Synchronization
import Testing

/// The `pr-reviewer` agent end to end: a real runner on a real Redis, a local server playing GitHub's API for the
/// pull request (files, contents, reviews), and real git repositories for reviews of two refs.
@Suite(.serialized)
struct PRReviewerServiceTests {
    // Assembled at run time: no literal credential in the tree.
    static let token = "ghp_" + String(repeating: "t3st", count: 9)

    /// A running reviewer on its own test bus, talking to the fake API.
    struct Running {
        let bus: TestBus
        let api: FakePullRequestAPI
        let service: RunningService
        let workspace: URL

        init(model: any LanguageModel = OfflineModel(), environment extra: [String: String] = [:], chunkBudget: Int = 24_000, modelParts: Int = 4) async throws {
            bus = try TestBus()
            api = FakePullRequestAPI()
            try await api.server.start()
            workspace = FileManager.default.temporaryDirectory.appendingPathComponent("sb-review-\(UUID().uuidString.prefix(8))")
            let environment = SwitchboardEnvironment(["WORKSPACE_DIR": workspace.path, "REDIS_URL": bus.url, "SB_PREFIX": bus.keys.prefix, "SB_REPO_ALLOW": GitFixture.allowedPrefix].merging(extra) { $1 })
            let agent = PRReviewerService(
                rules: try TestData.rules(), forge: GitHubForge(baseURL: api.url, token: PRReviewerServiceTests.token, firstRetryWait: .milliseconds(10)),
                git: try GitServices(environment: environment, agent: PRReviewerService.name, logger: quietLogger),
                model: TaskMeteredModel(base: model, ledger: UsageLedger(registry: try AgentRegistry.load(path: RepositoryPaths.registry.path))),
                chunkBudget: chunkBudget, modelParts: modelParts
            )
            var handlers = AgentHandlers(schemas: try SchemaLibrary(directory: RepositoryPaths.schemas))
            agent.register(&handlers)
            service = RunningService(AgentRunner(configuration: bus.configuration(agent: PRReviewerService.name, maxAttempts: 2), bus: bus.broker.agent, handlers: handlers, logger: quietLogger))
        }

        /// Publishes `pr.review` (or another type the agent handles) and waits for the task to end.
        func review(_ payload: JSONValue, type: String = PRReviewRequest.type) async throws -> TaskSnapshot {
            let task = "review-\(UUID().uuidString.prefix(8))"
            _ = try await bus.broker.queue.publish(Envelope(type: type, payload: payload.jsonString, task: task), to: bus.keys.inbox(PRReviewerService.name))
            try await eventually("task \(task) ends") { try await bus.status(task)?.isTerminal == true }
            return try #require(try await bus.broker.tasks.task(task))
        }

        func result(_ payload: JSONValue) async throws -> PRReviewResult {
            let snapshot = try await review(payload)
            let text = try #require(snapshot.result, "task failed: \(snapshot.error ?? "")")
            return try JSONDecoder().decode(PRReviewResult.self, from: Data(text.utf8))
        }

        func stop() async {
            await service.shutdown()
            await api.server.stop()
            try? FileManager.default.removeItem(at: workspace)
        }
    }

    /// A pull request with planted defects in a Python file and a config file, and no test change.
    static func plantedFiles() -> [JSONValue] {
        let key = "AKIA" + String(repeating: "Q7", count: 8)
        return [
            FakePullRequestAPI.file("src/importer.py", patch: "@@ -1,2 +1,5 @@\n import os\n+result = eval(user_input)\n+# TODO: handle errors\n+os.system(\"rm -rf \" + path)\n def run():", additions: 3),
            FakePullRequestAPI.file("config/settings.py", patch: "@@ -0,0 +1,2 @@\n+REGION = \"eu-west-1\"\n+ACCESS_KEY_ID = \"\(key)\"", status: "added", additions: 2),
            ["filename": "assets/logo.png", "status": "added", "additions": 0, "deletions": 0, "changes": 0],
        ]
    }

    static let pullRequest: JSONValue = ["repo": "acme/widgets", "number": 7, "post": true]

    @Test("a forge PR: findings on the right new-file lines, one review posted with inline comments, the token sent as bearer")
    func postsReview() async throws {
        let running = try await Running()
        try await withTeardown {
            running.api.setFiles(Self.plantedFiles())
            let result = try await running.result(Self.pullRequest)
            #expect(result.findings.map { "\($0.rule) \($0.path):\($0.line.map(String.init) ?? "-")" }.sorted() == [
                "aws-access-key-id config/settings.py:2", "eval src/importer.py:2", "missing-tests src/importer.py:-", "python-shell src/importer.py:4", "todo-added src/importer.py:3",
            ])
            #expect(result.posted)
            #expect(result.reviewURL == "https://github.example/acme/widgets/pull/7#pullrequestreview-700")
            let reviews = running.api.state.reviews.withLock { $0 }
            #expect(reviews.count == 1)
            let review = try #require(reviews.first)
            #expect(review.commitID == FakePullRequestAPI.headSHA)
            #expect(review.body.contains(GitHubReview.marker))
            #expect(review.body.contains("assets/logo.png"))
            #expect(review.comments.map { "\($0["path"]?.stringValue ?? ""):\($0["line"]?.intValue ?? 0):\($0["side"]?.stringValue ?? "")" } == [
                "config/settings.py:2:RIGHT", "src/importer.py:2:RIGHT", "src/importer.py:3:RIGHT", "src/importer.py:4:RIGHT",
            ])
            #expect(running.api.state.authorizations.withLock { $0 }.allSatisfy { $0 == "Bearer " + Self.token })
        } teardown: {
            await running.stop()
        }
    }

    @Test("reviewing the same PR again updates the marked review instead of posting a second one, and removes its stale inline comments")
    func updatesReview() async throws {
        let running = try await Running()
        try await withTeardown {
            running.api.setFiles(Self.plantedFiles())
            _ = try await running.result(Self.pullRequest)
            running.api.setFiles([FakePullRequestAPI.file("src/importer.py", patch: "@@ -1,2 +1,3 @@\n import os\n+result = eval(user_input)\n def run():")])
            let second = try await running.result(Self.pullRequest)
            #expect(second.posted)
            let reviews = running.api.state.reviews.withLock { $0 }
            #expect(reviews.count == 1)
            #expect(running.api.state.updates.withLock { $0 }.map(\.id) == [700])
            #expect(reviews[0].body.contains("eval"))
            #expect(!reviews[0].body.contains("aws-access-key-id"))
            #expect(running.api.state.deletedComments.withLock { $0 }.sorted() == [70000, 70001, 70002, 70003])
        } teardown: {
            await running.stop()
        }
    }

    @Test("a push reviews only the commits since the head the posted review covers: one review, a section added, earlier inline comments kept; a force push reviews the whole PR again")
    func incrementalReviewOnPush() async throws {
        let running = try await Running()
        try await withTeardown {
            let first = FakePullRequestAPI.file("src/importer.py", patch: "@@ -1,2 +1,3 @@\n import os\n+result = eval(user_input)\n def run():")
            running.api.setFiles([first])
            let opened = try await running.result(["repo": "acme/widgets", "number": 7, "post": true, "trigger": "opened"])
            #expect(opened.since == nil)
            let posted = try #require(running.api.state.reviews.withLock { $0.first })
            #expect(posted.body.contains("<!-- switchboard:head \(FakePullRequestAPI.headSHA) -->"))
            // A push adds a commit touching another file: only that file is reviewed.
            let added = FakePullRequestAPI.file("src/runner.py", patch: "@@ -1,1 +1,2 @@\n import subprocess\n+subprocess.call(\"tar xzf \" + path, shell=True)", additions: 1)
            let second = String(repeating: "d", count: 40)
            running.api.setFiles([first, added])
            running.api.push(second, files: [added])
            let pushed = try await running.result(["repo": "acme/widgets", "number": 7, "post": true, "trigger": "pushed"])
            #expect(pushed.since == FakePullRequestAPI.headSHA)
            #expect(!pushed.findings.isEmpty && pushed.findings.allSatisfy { $0.path == "src/runner.py" })
            #expect(running.api.state.compared.withLock { $0 } == ["\(FakePullRequestAPI.headSHA)...\(second)"])
            let updated = try #require(running.api.state.reviews.withLock { $0.first })
            #expect(running.api.state.reviews.withLock { $0.count } == 1)
            #expect(updated.body.contains("### Switchboard review") && updated.body.contains("#### New commits cccccccccccc…dddddddddddd") && updated.body.contains("src/runner.py:2"))
            #expect(updated.body.contains("<!-- switchboard:head \(second) -->") && !updated.body.contains("<!-- switchboard:head \(FakePullRequestAPI.headSHA) -->"))
            #expect(running.api.state.deletedComments.withLock { $0 }.isEmpty)
            // A force push (the reviewed head is no ancestor): the whole pull request again, stale comments removed.
            running.api.push(String(repeating: "e", count: 40), status: "diverged", files: [])
            let forced = try await running.result(["repo": "acme/widgets", "number": 7, "post": true, "trigger": "pushed"])
            #expect(forced.since == nil)
            #expect(Set(forced.findings.map(\.path)) == ["src/importer.py", "src/runner.py"])
            #expect(!running.api.state.deletedComments.withLock { $0 }.isEmpty)
        } teardown: {
            await running.stop()
        }
    }

    @Test("/improve offline: the rules' mechanical fixes as suggestion blocks on their lines, in one review; a second /improve withdraws the first's")
    func improveOffline() async throws {
        let running = try await Running()
        try await withTeardown {
            running.api.setFiles([FakePullRequestAPI.file("app/config.py", patch: "@@ -1,2 +1,3 @@\n import yaml\n+data = yaml.load(stream)\n print(data)")])
            let snapshot = try await running.review(["repo": "acme/widgets", "number": 7, "post": true], type: PRImproveRequest.type)
            let result = try JSONDecoder().decode(PRImproveResult.self, from: Data(try #require(snapshot.result, "\(snapshot.error ?? "")").utf8))
            #expect(result.suggestions == [PRImproveResult.Suggestion(path: "app/config.py", line: 2, replacement: "data = yaml.safe_load(stream)", message: result.suggestions.first?.message ?? "", source: "rules")])
            #expect(result.posted && result.notes.contains { $0.contains("LLM_PROVIDER=offline") })
            let review = try #require(running.api.state.reviews.withLock { $0.first })
            #expect(review.body.contains("<!-- switchboard:improve -->"))
            #expect(review.comments.first?["line"]?.intValue == 2)
            #expect(review.comments.first?["body"]?.stringValue?.contains("```suggestion\ndata = yaml.safe_load(stream)\n```") == true)
            #expect(snapshot.fields["text"]?.contains("→ data = yaml.safe_load(stream)") == true)
            _ = try await running.review(["repo": "acme/widgets", "number": 7, "post": true], type: PRImproveRequest.type)
            let reviews = running.api.state.reviews.withLock { $0 }
            #expect(reviews.count == 2)
            #expect(reviews[0].body.contains("replaced by a later /improve"))
            #expect(running.api.state.deletedComments.withLock { $0 } == [70000])
            // Nothing to suggest: nothing is posted.
            running.api.setFiles([FakePullRequestAPI.file("app/ok.py", patch: "@@ -1,1 +1,2 @@\n import yaml\n+data = yaml.safe_load(stream)")])
            let clean = try await running.review(["repo": "acme/widgets", "number": 7, "post": true], type: PRImproveRequest.type)
            #expect(clean.fields["text"]?.hasPrefix("No suggestions.") == true)
            #expect(running.api.state.reviews.withLock { $0.count } == 2)
        } teardown: {
            await running.stop()
        }
    }

    @Test("/improve with a model: its replacements on lines of the diff join the rules' fixes; one off the diff is dropped, a rule's fix wins its line")
    func improveWithModel() async throws {
        let api = try await FakeModelAPI.started()
        try await withTeardown {
            let answer = #"{"summary":"Two fixes.","findings":[{"path":"app/config.py","line":3,"severity":"warning","message":"Close the file.","replacement":"with open(path) as stream: data = stream.read()"},{"path":"app/config.py","line":2,"severity":"error","message":"Model says safe_load.","replacement":"data = yaml.load(stream, Loader=yaml.SafeLoader)"},{"path":"app/config.py","line":40,"severity":"info","message":"Off the diff.","replacement":"x"}]}"#
            api.script(.anthropicText(answer))
            let model = AnthropicModel(baseURL: api.url, apiKey: "sk-ant-" + String(repeating: "x", count: 12), model: "claude-test", settings: HTTPModelSettings(maxRetries: 0, streaming: false))
            let running = try await Running(model: model)
            try await withTeardown {
                running.api.setFiles([FakePullRequestAPI.file("app/config.py", patch: "@@ -1,2 +1,4 @@\n import yaml\n+data = yaml.load(stream)\n+text = open(path).read()\n print(data)", additions: 2)])
                let snapshot = try await running.review(["repo": "acme/widgets", "number": 7], type: PRImproveRequest.type)
                let result = try JSONDecoder().decode(PRImproveResult.self, from: Data(try #require(snapshot.result).utf8))
                #expect(result.suggestions.map(\.line) == [2, 3])
                #expect(result.suggestions[0].source == "rules" && result.suggestions[0].replacement == "data = yaml.safe_load(stream)")
                #expect(result.suggestions[1].source == "model" && result.suggestions[1].message == "Close the file.")
                #expect(!result.posted && running.api.state.reviews.withLock { $0.isEmpty })
                #expect(api.received.first?.body["system"]?.stringValue?.contains("replacement") == true)
            } teardown: {
                await running.stop()
            }
        } teardown: {
            await api.stop()
        }
    }

    @Test(".switchboard.yml of the base disables rules and ignores paths; a broken one fails with its line")
    func repositoryConfig() async throws {
        let running = try await Running()
        try await withTeardown {
            running.api.setFiles(Self.plantedFiles())
            running.api.state.configs.withLock { $0[FakePullRequestAPI.baseSHA] = "review:\n  disable: [todo-added, missing-tests]\n  ignore: ['config/**']\n" }
            let result = try await running.result(["repo": "acme/widgets", "number": 7])
            #expect(result.findings.map(\.rule).sorted() == ["eval", "python-shell"])
            #expect(!result.posted)
            running.api.state.configs.withLock { $0[FakePullRequestAPI.baseSHA] = "review:\n  disable: [no-such-rule]\n" }
            let failed = try await running.review(["repo": "acme/widgets", "number": 7])
            #expect(failed.status == .failed)
            #expect(failed.fields["error_code"] == "bad_config")
            #expect(failed.error?.contains(".switchboard.yml:2") == true)
        } teardown: {
            await running.stop()
        }
    }

    @Test("a pull request cannot configure its own review: a .switchboard.yml only on the head changes nothing")
    func configFromHeadIgnored() async throws {
        let running = try await Running()
        try await withTeardown {
            running.api.setFiles(Self.plantedFiles())
            let unconfigured = try await running.result(["repo": "acme/widgets", "number": 7]).findings.map(\.rule).sorted()
            running.api.state.configs.withLock { $0[FakePullRequestAPI.headSHA] = "review:\n  disable: [eval, python-shell, todo-added, missing-tests, aws-access-key-id]\n  ignore: ['**']\n" }
            let result = try await running.result(["repo": "acme/widgets", "number": 7])
            #expect(result.findings.map(\.rule).sorted() == unconfigured)
            #expect(result.findings.contains { $0.rule == "eval" })
        } teardown: {
            await running.stop()
        }
    }

    @Test("two refs: .switchboard.yml is read from base; the head's own copy does not turn rules off")
    func refsConfigFromBase() async throws {
        let running = try await Running()
        try await withTeardown {
            let repository = try await GitFixture.make()
            defer { repository.remove() }
            try await repository.commit(on: "main", from: "main", [".switchboard.yml": "review:\n  disable: [todo-added]\n"], "review settings")
            try await repository.commit(on: "feature", from: "main", [
                ".switchboard.yml": "review:\n  disable: [todo-added, world-writable-permissions]\n",
                "tools/deploy.sh": "#!/bin/sh\n# TODO: tidy\nchmod 777 /srv/app\n",
            ], "deploy script, and turn the check off")
            let result = try await running.result(["repo_url": .string(repository.url), "base": "main", "head": "feature"])
            let rules = Set(result.findings.map(\.rule))
            #expect(rules.contains("world-writable-permissions"))
            #expect(!rules.contains("todo-added"))
        } teardown: {
            await running.stop()
        }
    }

    @Test("two refs of a real git repository: the diff from git, findings on the head's lines; nothing to post on")
    func refs() async throws {
        let running = try await Running()
        try await withTeardown {
            let repository = try await GitFixture.make()
            defer { repository.remove() }
            try await repository.commit(on: "feature", from: "main", ["tools/deploy.sh": "#!/bin/sh\nset -e\nchmod 777 /srv/app\n", "README.md": "# demo\n\nDeploy with tools/deploy.sh.\n"], "add deploy script")
            let result = try await running.result(["repo_url": .string(repository.url), "base": "main", "head": "feature", "post": true])
            #expect(result.findings.map { "\($0.rule) \($0.path):\($0.line.map(String.init) ?? "-")" }.contains("world-writable-permissions tools/deploy.sh:3"))
            #expect(!result.posted)
            #expect(result.summary.contains("no pull request"))
        } teardown: {
            await running.stop()
        }
    }

    @Test("failures are readable: an unknown PR, an unknown ref, and a request of neither form (dead-lettered)")
    func failures() async throws {
        let running = try await Running()
        try await withTeardown {
            let missing = try await running.review(["repo": "acme/widgets", "number": 404])
            #expect(missing.status == .failed)
            #expect(missing.fields["error_code"] == "not_found")
            let repository = try await GitFixture.make()
            defer { repository.remove() }
            let badRef = try await running.review(["repo_url": .string(repository.url), "base": "main", "head": "no-such-branch"])
            #expect(badRef.status == .failed)
            #expect(badRef.fields["error_code"] == "unknown_ref")
            let neither = try await running.review(["repo": "acme/widgets"])
            #expect(neither.status == .failed)
            #expect(try await running.bus.broker.deadLetters.deadLetters(agent: PRReviewerService.name, count: 10).count == 1)
        } teardown: {
            await running.stop()
        }
    }

    @Test("both forms, /describe, /ask and /improve refuse repositories outside the allow-list with forbidden_repository, before asking the forge or git")
    func repositoriesOutsideTheAllowList() async throws {
        let running = try await Running(environment: ["GITHUB_ALLOWED_REPOS": "example-org/app", "SB_REPO_ALLOW": "file:///srv/repos/"])
        try await withTeardown {
            let pull = try await running.review(["repo": "example-org/private", "number": 1])
            let refs = try await running.review(["repo_url": "https://attacker.example/x.git", "base": "main", "head": "feature"])
            // The agent enforces it itself for every type it handles (any Redis client can publish).
            let described = try await running.review(["repo": "example-org/private", "number": 1, "post": true], type: PRDescribeRequest.type)
            let asked = try await running.review(["repo": "example-org/private", "number": 1, "question": "What changed?"], type: PRAskRequest.type)
            let improved = try await running.review(["repo": "example-org/private", "number": 1, "post": true], type: PRImproveRequest.type)
            for snapshot in [pull, refs, described, asked, improved] {
                #expect(snapshot.status == .failed)
                #expect(snapshot.fields["error_code"] == "forbidden_repository")
            }
            #expect(running.api.state.authorizations.withLock { $0 }.isEmpty)
        } teardown: {
            await running.stop()
        }
    }

    @Test("with a model (a local server speaking the Anthropic Messages API): its findings join the rules', off-diff ones dropped, usage on the task")
    func modelReview() async throws {
        let api = try await FakeModelAPI.started()
        try await withTeardown {
            let answer = #"{"summary":"The importer runs user input.","findings":[{"path":"src/importer.py","line":4,"severity":"error","message":"Shell command built from a path: quote it or pass argv."},{"path":"src/importer.py","line":99,"severity":"warning","message":"Off the diff."},{"path":"src/importer.py","line":2,"severity":"warning","message":"Unvalidated input reaches eval."}]}"#
            api.script(.json([
                "id": "msg_1", "type": "message", "role": "assistant", "model": "claude-test",
                "content": [["type": "text", "text": .string("```json\n" + answer + "\n```")]],
                "stop_reason": "end_turn", "usage": ["input_tokens": 1200, "output_tokens": 80],
            ]))
            let model = AnthropicModel(baseURL: api.url, apiKey: "sk-ant-" + String(repeating: "x", count: 12), model: "claude-test", settings: HTTPModelSettings(maxRetries: 0, streaming: false))
            let running = try await Running(model: model)
            try await withTeardown {
                running.api.setFiles([FakePullRequestAPI.file("src/importer.py", patch: "@@ -1,2 +1,5 @@\n import os\n+result = eval(user_input)\n+# TODO: handle errors\n+os.system(\"rm -rf \" + path)\n def run():", additions: 3)])
                let task = "review-model"
                _ = try await running.bus.broker.queue.publish(Envelope(type: PRReviewRequest.type, payload: #"{"repo":"acme/widgets","number":7}"#, task: task), to: running.bus.keys.inbox(PRReviewerService.name))
                try await eventually("the review ends") { try await running.bus.status(task)?.isTerminal == true }
                let snapshot = try #require(try await running.bus.broker.tasks.task(task))
                let result = try JSONDecoder().decode(PRReviewResult.self, from: Data(try #require(snapshot.result).utf8))
                // On lines a rule flagged, the model's finding joins the rule's (one comment per line and concern).
                #expect(result.findings.contains { $0.rule == "python-shell" && $0.line == 4 && $0.message.contains("Model: Shell command built from a path") })
                #expect(!result.findings.contains { $0.line == 99 })
                #expect(result.findings.filter { $0.line == 2 }.map(\.rule) == ["eval"])
                #expect(result.findings.first { $0.line == 2 }?.message.contains("Unvalidated input reaches eval") == true)
                #expect(result.summary.contains("The importer runs user input."))
                #expect(snapshot.fields["tokens_in"] == "1200")
                let request = try #require(api.received.first)
                #expect(request.path == "/v1/messages")
                #expect(request.body["messages"]?[0]?["content"]?.jsonString.contains("src/importer.py") == true)
            } teardown: {
                await running.stop()
            }
        } teardown: {
            await api.stop()
        }
    }

    @Test("a change over the model's budget sends its riskiest files first and names the ones left to the rules")
    func modelBudget() async throws {
        let api = try await FakeModelAPI.started()
        try await withTeardown {
            api.script(.anthropicText(#"{"summary":"Looked at the risky part.","findings":[]}"#))
            let model = AnthropicModel(baseURL: api.url, apiKey: "sk-ant-" + String(repeating: "x", count: 12), model: "claude-test", settings: HTTPModelSettings(maxRetries: 0, streaming: false))
            let running = try await Running(model: model, chunkBudget: 200, modelParts: 1)
            try await withTeardown {
                running.api.setFiles([
                    FakePullRequestAPI.file("docs/notes.md", patch: "@@ -0,0 +1,2 @@\n+Some notes about the release.\n+More notes.", additions: 2),
                    FakePullRequestAPI.file("src/plain.py", patch: "@@ -0,0 +1,1 @@\n+total = a + b", additions: 1),
                    FakePullRequestAPI.file("src/importer.py", patch: "@@ -0,0 +1,1 @@\n+result = eval(user_input)", additions: 1),
                ])
                let snapshot = try await running.review(["repo": "acme/widgets", "number": 7])
                let result = try JSONDecoder().decode(PRReviewResult.self, from: Data(try #require(snapshot.result).utf8))
                #expect(api.received.count == 1)
                #expect(api.received.first?.body["messages"]?[0]?["content"]?.jsonString.contains("src/importer.py") == true)
                #expect(result.summary.contains("larger than the model's budget (1 part)"))
                #expect(result.summary.contains("1 file had the rules only: docs/notes.md."))
            } teardown: {
                await running.stop()
            }
        } teardown: {
            await api.stop()
        }
    }

    @Test("/describe: a title, summary, walkthrough and labels from the diff; posted once as a comment with the token, or only returned")
    func describe() async throws {
        let running = try await Running()
        try await withTeardown {
            running.api.setFiles([
                FakePullRequestAPI.file("Sources/App/Login.swift", patch: "@@ -0,0 +1,2 @@\n+struct Login {}\n+let a = 1", status: "added", additions: 2),
                FakePullRequestAPI.file("Tests/AppTests/LoginTests.swift", patch: "@@ -0,0 +1,1 @@\n+func testLogin() {}", status: "added", additions: 1),
                FakePullRequestAPI.file("Package.swift", patch: "@@ -1,1 +1,1 @@\n-old\n+new", additions: 1),
            ])
            let returned = try await running.review(["repo": "acme/widgets", "number": 7], type: PRDescribeRequest.type)
            let result = try JSONDecoder().decode(PRDescribeResult.self, from: Data(try #require(returned.result, "\(returned.error ?? "")").utf8))
            #expect(result.labels == ["feature", "tests", "dependencies"])
            #expect(result.walkthrough.map(\.change) == ["added", "added", "modified"])
            #expect(result.summary == "3 files changed (+4 −1) in Sources, Tests and the top folder: 2 added, 1 modified. Kinds: feature, tests, dependencies.")
            #expect(result.body.hasPrefix(PullRequestDescriber.marker) && result.body.contains("| `Sources/App/Login.swift` | added | 2 | 0 |"))
            #expect(!result.posted && running.api.state.comments.withLock { $0.isEmpty })
            #expect(returned.fields["text"]?.hasPrefix("📝 ") == true)

            let posted = try await running.review(["repo": "acme/widgets", "number": 7, "post": true], type: PRDescribeRequest.type)
            let postedResult = try JSONDecoder().decode(PRDescribeResult.self, from: Data(try #require(posted.result).utf8))
            let comments = running.api.state.comments.withLock { $0 }
            #expect(postedResult.posted && postedResult.commentURL?.contains("issuecomment-") == true)
            #expect(comments.count == 1 && comments.first?.number == 7 && comments.first?.body == postedResult.body)
            // Asked again: the same comment is updated, not a second one posted.
            let again = try await running.review(["repo": "acme/widgets", "number": 7, "post": true], type: PRDescribeRequest.type)
            #expect(again.status == .completed && running.api.state.comments.withLock { $0.count } == 1)
            #expect(running.api.state.authorizations.withLock { $0 }.allSatisfy { $0 == "Bearer \(Self.token)" })
        } teardown: {
            await running.stop()
        }
    }

    @Test("a question on a line (asked in a review comment): offline, the line and what the rules flag on it, answered in the comment's thread")
    func askOnALine() async throws {
        let running = try await Running()
        try await withTeardown {
            running.api.setFiles(Self.plantedFiles())
            let snapshot = try await running.review(
                ["repo": "acme/widgets", "number": 7, "question": "Is this safe?", "post": true, "path": "src/importer.py", "line": 2, "reply_to": 555], type: PRAskRequest.type
            )
            let result = try JSONDecoder().decode(PRAskResult.self, from: Data(try #require(snapshot.result, "\(snapshot.error ?? "")").utf8))
            #expect(result.answer.contains("src/importer.py:2 reads `result = eval(user_input)`") && result.answer.contains("The rules flag it: eval"))
            #expect(result.posted && result.commentURL == "https://github.example/acme/widgets/pull/7#discussion_r90555")
            let replies = running.api.state.replies.withLock { $0 }
            #expect(replies.count == 1 && replies.first?.comment == 555 && replies.first?.body.hasPrefix("> Is this safe?") == true)
            #expect(running.api.state.comments.withLock { $0.isEmpty })
            // A line without a finding says so.
            let quiet = try await running.review(["repo": "acme/widgets", "number": 7, "question": "Why?", "path": "src/importer.py", "line": 1], type: PRAskRequest.type)
            #expect(quiet.result?.contains("The rules flag nothing on this line.") == true)
            // A line without its path is refused before anything runs.
            let bad = try await running.review(["repo": "acme/widgets", "number": 7, "question": "Why?", "line": 1], type: PRAskRequest.type)
            #expect(bad.status == .failed && bad.error?.contains("/line") == true)
        } teardown: {
            await running.stop()
        }
    }

    @Test("/describe into_body writes the description into the pull request's body with the author's text folded below; again, only Switchboard's part changes")
    func describeIntoBody() async throws {
        let running = try await Running()
        try await withTeardown {
            running.api.setFiles([FakePullRequestAPI.file("Sources/App/Login.swift", patch: "@@ -0,0 +1,1 @@\n+struct Login {}", status: "added", additions: 1)])
            let first = try await running.review(["repo": "acme/widgets", "number": 7, "into_body": true], type: PRDescribeRequest.type)
            let result = try JSONDecoder().decode(PRDescribeResult.self, from: Data(try #require(first.result, "\(first.error ?? "")").utf8))
            #expect(result.posted && result.commentURL == "https://github.example/acme/widgets/pull/7")
            let body = running.api.state.body.withLock { $0 }
            #expect(body.hasPrefix(PullRequestDescriber.marker) && body.contains("<summary>The author's description</summary>") && body.contains("Adds the importer.\n\nCloses #3"))
            #expect(running.api.state.comments.withLock { $0.isEmpty })
            running.api.setFiles([FakePullRequestAPI.file("Sources/App/Logout.swift", patch: "@@ -0,0 +1,1 @@\n+struct Logout {}", status: "added", additions: 1)])
            _ = try await running.review(["repo": "acme/widgets", "number": 7, "into_body": true], type: PRDescribeRequest.type)
            let again = running.api.state.body.withLock { $0 }
            #expect(again.contains("Logout.swift") && !again.contains("Login.swift"))
            #expect(again.components(separatedBy: "Adds the importer.").count == 2)
        } teardown: {
            await running.stop()
        }
    }

    @Test("/describe with a malformed repository is dead-lettered with the reason, not run")
    func describeBadInput() async throws {
        let running = try await Running()
        try await withTeardown {
            let snapshot = try await running.review(["repo": "not-a-repo", "number": 7], type: PRDescribeRequest.type)
            #expect(snapshot.status == .failed)
            #expect(snapshot.fields["dead_lettered"] != nil)
            #expect(snapshot.error?.contains("repo") == true)
        } teardown: {
            await running.stop()
        }
    }

    @Test("/ask offline: what the diff can tell, posted as a comment quoting the question; the model's answer when one is configured")
    func ask() async throws {
        let files = [
            FakePullRequestAPI.file("src/importer.py", patch: "@@ -0,0 +1,1 @@\n+result = eval(user_input)", status: "added", additions: 1),
            FakePullRequestAPI.file("tests/test_importer.py", patch: "@@ -0,0 +1,1 @@\n+def test_it(): pass", status: "added", additions: 1),
        ]
        let offline = try await Running()
        try await withTeardown {
            offline.api.setFiles(files)
            let snapshot = try await offline.review(["repo": "acme/widgets", "number": 7, "question": "Does it touch the tests?", "post": true], type: PRAskRequest.type)
            let result = try JSONDecoder().decode(PRAskResult.self, from: Data(try #require(snapshot.result, "\(snapshot.error ?? "")").utf8))
            #expect(result.answeredBy == "diff" && result.answer == "Yes: 1 test file changed (tests/test_importer.py).")
            let comment = try #require(offline.api.state.comments.withLock { $0 }.first)
            #expect(comment.body.hasPrefix("> Does it touch the tests?\n\nYes: 1 test file changed") && result.posted)
            let risky = try await offline.review(["repo": "acme/widgets", "number": 7, "question": "Is anything risky here?"], type: PRAskRequest.type)
            #expect(risky.result?.contains("src/importer.py:1 eval") == true)
        } teardown: {
            await offline.stop()
        }

        let api = try await FakeModelAPI.started()
        try await withTeardown {
            api.script(.anthropicText("It evaluates user input on line 1 of src/importer.py; parse it instead."))
            let model = AnthropicModel(baseURL: api.url, apiKey: "sk-ant-" + String(repeating: "x", count: 12), model: "claude-test", settings: HTTPModelSettings(maxRetries: 0, streaming: false))
            let running = try await Running(model: model)
            try await withTeardown {
                running.api.setFiles(files)
                let snapshot = try await running.review(["repo": "acme/widgets", "number": 7, "question": "What does the importer do with its input?"], type: PRAskRequest.type)
                let result = try JSONDecoder().decode(PRAskResult.self, from: Data(try #require(snapshot.result).utf8))
                #expect(result.answeredBy == "model" && result.answer.hasPrefix("It evaluates user input"))
                let prompt = api.received.first?.body["messages"]?[0]?["content"]?.jsonString ?? ""
                #expect(prompt.contains("What does the importer do with its input?") && prompt.contains("src/importer.py"))
                #expect(running.api.state.comments.withLock { $0.isEmpty })
            } teardown: {
                await running.stop()
            }
        } teardown: {
            await api.stop()
        }
    }

    @Test("the repository's on_open / on_push say what a forge event runs: describe and review on open, only describe on push")
    func automaticCommands() async throws {
        let running = try await Running()
        try await withTeardown {
            running.api.setFiles([FakePullRequestAPI.file("src/importer.py", patch: "@@ -0,0 +1,1 @@\n+result = eval(user_input)", status: "added", additions: 1)])
            running.api.state.configs.withLock { $0[FakePullRequestAPI.baseSHA] = "review:\n  on_open: [describe, review]\n  on_push: [describe]\n" }
            let opened = try await running.result(["repo": "acme/widgets", "number": 7, "post": true, "trigger": "opened"])
            #expect(opened.posted && running.api.state.reviews.withLock { $0.count } == 1)
            #expect(running.api.state.comments.withLock { $0.count } == 1 && opened.summary.contains("The description was posted"))
            let pushed = try await running.result(["repo": "acme/widgets", "number": 7, "post": true, "trigger": "pushed"])
            #expect(pushed.summary.hasPrefix("Described the pull request (") && pushed.summary.hasSuffix("review.on_push does not list review.") && pushed.findings.isEmpty)
            // The description is one comment, updated in place on the push.
            #expect(running.api.state.reviews.withLock { $0.count } == 1 && running.api.state.comments.withLock { $0.count } == 1)
            let byHand = try await running.result(["repo": "acme/widgets", "number": 7])
            #expect(!byHand.findings.isEmpty && running.api.state.comments.withLock { $0.count } == 1)
        } teardown: {
            await running.stop()
        }
    }

    @Test("on_push: [improve] posts suggestion blocks on a push, and nothing else")
    func improveOnPush() async throws {
        let running = try await Running()
        try await withTeardown {
            running.api.setFiles([FakePullRequestAPI.file("app/config.py", patch: "@@ -0,0 +1,1 @@\n+data = yaml.load(stream)", status: "added", additions: 1)])
            running.api.state.configs.withLock { $0[FakePullRequestAPI.baseSHA] = "review:\n  on_push: [improve]\n" }
            let pushed = try await running.result(["repo": "acme/widgets", "number": 7, "post": true, "trigger": "pushed"])
            #expect(pushed.posted && pushed.findings.isEmpty)
            #expect(pushed.summary.hasPrefix("Suggested changes (1 suggestion posted: ") && pushed.summary.hasSuffix("does not list review."))
            let reviews = running.api.state.reviews.withLock { $0 }
            #expect(reviews.count == 1 && reviews[0].body.contains("<!-- switchboard:improve -->"))
            #expect(running.api.state.comments.withLock { $0.isEmpty })
        } teardown: {
            await running.stop()
        }
    }
}
