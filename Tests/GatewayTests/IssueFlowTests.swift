import AgentBase
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import NIOFoundationEssentialsCompat
import HummingbirdTesting
import Orchestrator
import Synchronization
import SwitchboardTesting
import Testing
import Workflows
@testable import Gateway

/// Issue-driven work through the real gateway and the real orchestrator on a real Redis, with a stateful GitHub
/// stand-in and scripted code-writer and pr-reviewer: an issue becomes one pull request with a tracking comment, and
/// review feedback becomes bounded fix rounds.
@Suite(.serialized)
struct IssueFlowTests {
    static let repo = "example-org/example-repo"
    static let cloneURL = "file:///srv/issue-tests/example-repo.git"
    static let pullRequestURL = "https://github.example/example-org/example-repo/pull/31"

    private func fixture(_ github: FakeGitHubIssues, prefix: String? = nil, extra: [String: String] = [:]) throws -> GatewayAPITests.Fixture {
        var values = [
            "GITHUB_WEBHOOK_SECRET": GitHubWebhookTests.secret, "GITHUB_TOKEN": GitHubWebhookTests.token, "GITHUB_API_URL": github.url,
            "GITHUB_ALLOWED_REPOS": Self.repo, "SB_REPO_ALLOW": "file:///srv/issue-tests/",
        ]
        if let prefix { values["SB_PREFIX"] = prefix }
        return try GatewayAPITests.Fixture(values.merging(extra) { $1 })
    }

    private func post(_ client: some TestClientProtocol, _ event: String, _ body: JSONValue) async throws -> String {
        let text = body.jsonString
        let response = try await client.execute(uri: "/webhooks/github", method: .post, headers: GitHubWebhookTests.headers(text, event: event), body: ByteBuffer(string: text))
        #expect(response.status == .ok)
        return (try? JSONValue(parsing: Data(buffer: response.body)))?["outcome"]?.stringValue ?? ""
    }

    static func labeled(_ number: Int, by login: String, label: String = "switchboard") -> JSONValue {
        [
            "action": "labeled", "label": ["name": .string(label)], "sender": ["login": .string(login), "type": "User"],
            "issue": ["number": .number(Double(number)), "title": "Add a greeting", "body": "Print hello on start.", "user": ["login": "reporter"], "author_association": "NONE"],
            "repository": ["full_name": .string(repo)],
        ]
    }

    static func opened(_ number: Int, by login: String, association: String) -> JSONValue {
        [
            "action": "opened", "sender": ["login": .string(login), "type": "User"],
            "issue": ["number": .number(Double(number)), "title": "Fix it", "body": "@switchboard please fix the typo", "user": ["login": .string(login)], "author_association": .string(association)],
            "repository": ["full_name": .string(repo)],
        ]
    }

    static func review(_ number: Int, id: Int, by login: String, association: String, body: String = "Please rename it.") -> JSONValue {
        [
            "action": "submitted", "pull_request": ["number": .number(Double(number))],
            "review": ["id": .number(Double(id)), "state": "changes_requested", "body": .string(body), "author_association": .string(association), "user": ["login": .string(login), "type": "User"]],
            "repository": ["full_name": .string(repo)], "sender": ["login": .string(login)],
        ]
    }

    @Test("a writer's label starts one create_pr run with the forge's clone URL and a tracking comment; a second label reports it; untrusted label or mention start nothing and get no answer")
    func triggersAndTrust() async throws {
        let github = FakeGitHubIssues(cloneURL: Self.cloneURL)
        github.state.permissions.withLock { $0 = ["writer": "write", "reader": "read"] }
        github.addComment(7, login: "colleague", body: "Use the word 'hello', lower case.")
        try await github.server.start()
        let fixture = try fixture(github)
        try await fixture.gateway.makeApplication().test(.live) { client async throws in
            // Measured, not asserted: how long GitHub waits for the answer to a label that starts a run (the forge look-ups
            // and the tracking comment happen before it), and to a second label that reports the run.
            var started = ContinuousClock.now
            #expect(try await post(client, "issues", Self.labeled(7, by: "writer")).contains("create_pr run"))
            print("issue trigger: label → answer, starting a run: \(ContinuousClock.now - started)")
            started = ContinuousClock.now
            #expect(try await post(client, "issues", Self.labeled(7, by: "writer")).contains("reported"))
            print("issue trigger: label → answer, reporting the run: \(ContinuousClock.now - started)")
            #expect(try await post(client, "issues", Self.labeled(8, by: "reader")).contains("not trusted"))
            #expect(try await post(client, "issues", Self.labeled(9, by: "writer", label: "bug")).contains("ignored"))
            #expect(try await post(client, "issues", Self.opened(10, by: "drive-by", association: "NONE")).contains("not trusted"))
        }
        await github.server.stop()
        let runs = try await GitHubWebhookTests.queued(fixture, agent: "orchestrator")
        #expect(runs.count == 1)
        let payload = try JSONValue(parsing: runs.first?["payload"] ?? "")
        #expect(payload["workflow"] == "create_pr")
        let inputs = try #require(payload["inputs"])
        #expect(inputs["repo_url"]?.stringValue == Self.cloneURL)
        #expect(inputs["repo"]?.stringValue == Self.repo)
        #expect(inputs["branch"] == "switchboard/issue-7")
        #expect(inputs["pr_note"] == "Closes #7")
        #expect(inputs["spec"]?.stringValue?.contains("Print hello on start.") == true)
        #expect(inputs["spec"]?.stringValue?.contains("colleague: Use the word 'hello'") == true)
        #expect(runs.first?["source"] == "github:\(Self.repo)#7")
        let onSeven = github.comments.filter { $0.number == 7 && $0.login == FakeGitHubIssues.botLogin }
        #expect(onSeven.count == 2)
        #expect(onSeven.first?.body.contains("- [ ] Change written") == true)
        #expect(onSeven.last?.body.contains("already working on this issue") == true)
        #expect(github.comments.allSatisfy { [7].contains($0.number) })
    }

    /// The orchestrator and scripted agents on the fixture's keys: code.write answers with a commit per call (and the
    /// PR when asked), pr.review with one warning on the first review and none after.
    final class World: Sendable {
        let writes = Recorded<CodeWriteRequest>()
        let reviews = Recorded<PRReviewRequest>()
        let replicas: [Replica]

        init(_ fixture: GatewayAPITests.Fixture) throws {
            let bus = try TestBus(prefix: fixture.environment.keys.prefix)
            let schemas = try SchemaLibrary(directory: RepositoryPaths.schemas)
            var writer = AgentHandlers(schemas: schemas)
            let recorded = self.writes
            writer.on(CodeWriteRequest.self) { request, _ in
                let count = recorded.append(request)
                return CodeWriteResult(branch: request.branch ?? "switchboard/x", commit: String(repeating: "\(count)", count: 40), tests: TestRunReport(passed: true, outputTail: "ok"), prURL: request.openPR ? IssueFlowTests.pullRequestURL : nil)
            }
            var reviewer = AgentHandlers(schemas: schemas)
            let reviewed = self.reviews
            reviewer.on(PRReviewRequest.self) { request, _ in
                let count = reviewed.append(request)
                let findings = count == 1 ? [PRReviewResult.Finding(path: "Sources/App.swift", line: 3, severity: .warning, rule: "debug-print", message: "a debug print")] : []
                return PRReviewResult(summary: "\(findings.count) findings.", findings: findings, posted: request.post)
            }
            replicas = [
                try World.orchestrator(fixture),
                Replica([AgentRunner(configuration: bus.configuration(agent: "code-writer", maxAttempts: 1), bus: try bus.replicaBroker().agent, handlers: writer, logger: quietLogger)]),
                Replica([AgentRunner(configuration: bus.configuration(agent: "pr-reviewer", maxAttempts: 1), bus: try bus.replicaBroker().agent, handlers: reviewer, logger: quietLogger)]),
            ]
        }

        func stop() async {
            for replica in replicas { await replica.shutdown() }
        }

        /// A real orchestrator (runner, engine, scheduler) on the fixture's keys with the shipped workflows.
        static func orchestrator(_ fixture: GatewayAPITests.Fixture) throws -> Replica {
            let bus = try TestBus(prefix: fixture.environment.keys.prefix)
            var configuration = OrchestratorConfiguration(consumer: "o1")
            configuration.sweepInterval = .milliseconds(100)
            configuration.pollInterval = .milliseconds(50)
            configuration.readBlock = .milliseconds(100)
            let broker = try bus.replicaBroker()
            let orchestrator = OrchestratorService(
                bus: broker, workflows: fixture.gateway.workflows, schedules: ScheduleCatalogue(schedules: [], path: "none"), configuration: configuration, logger: quietLogger
            )
            var handlers = AgentHandlers(schemas: try SchemaLibrary(directory: RepositoryPaths.schemas))
            orchestrator.register(&handlers)
            let runner = AgentRunner(configuration: bus.configuration(agent: "orchestrator", concurrency: 8, timeout: .seconds(300), visibility: .seconds(400)), bus: broker.agent, handlers: handlers, logger: quietLogger)
            return Replica([runner] + orchestrator.services)
        }
    }

    @Test("the run edits the tracking comment at every step and ends with one PR (not a draft after a clean recheck) that closes the issue; review changes → a fix round on the same branch, replies, then the round limit")
    func runAndFixRounds() async throws {
        let github = FakeGitHubIssues(cloneURL: Self.cloneURL)
        github.state.permissions.withLock { $0 = ["writer": "write"] }
        github.state.reviewComments.withLock {
            $0 = [900: [["id": 4401, "path": "Sources/App.swift", "line": 3, "body": "Drop this print.", "user": ["login": "maintainer"]]]]
        }
        try await github.server.start()
        let fixture = try fixture(github, extra: ["GITHUB_MAX_FIX_ROUNDS": "1"])
        let world = try World(fixture)
        let store = IssueStore(storage: GatewayStorage(bus: fixture.gateway.bus))
        try await fixture.gateway.makeApplication().test(.live) { client async throws in
            _ = try await post(client, "issues", Self.labeled(7, by: "writer"))
            try await waitUntil("the run opened its pull request", timeout: .seconds(60)) { try await store.issue(Self.repo, 7)["pr"] == "31" }
            try await waitUntil("the tracking comment says done") {
                github.comments.first { $0.number == 7 }?.body.contains("✅ Done: \(Self.pullRequestURL)") == true
            }
            github.state.pulls.withLock { $0[31] = .init(number: 31, head: "switchboard/issue-7", base: "main", title: "", body: "", draft: false) }
            #expect(try await post(client, "issues", Self.labeled(7, by: "writer")).contains("reported"))

            #expect(try await post(client, "pull_request_review", Self.review(31, id: 899, by: "stranger", association: "NONE")).contains("not trusted"))
            #expect(try await post(client, "pull_request_review", Self.review(31, id: 900, by: "maintainer", association: "MEMBER")).contains("fix round 1 started"))
            try await waitUntil("the inline comment is answered", timeout: .seconds(60)) { github.replies.contains { $0.comment == 4401 } }
            try await waitUntil("the review's body is answered") { github.comments.contains { $0.number == 31 && $0.body.contains("> Please rename it.") } }
            #expect(try await post(client, "pull_request_review", Self.review(31, id: 901, by: "maintainer", association: "MEMBER")).contains("limitReached"))
        }
        await world.stop()
        await github.server.stop()

        let tracking = try #require(github.comments.first { $0.number == 7 })
        #expect(tracking.bodies.count >= 6, "posted, then edited as steps advance: \(tracking.bodies.count) versions")
        #expect(tracking.body.contains("- [x] Change written"))
        #expect(tracking.body.contains("- [x] Fixed: 1 round"))
        let writes = world.writes.all
        let opens = writes.filter(\.openPR)
        #expect(opens.count == 1, "one pull request")
        #expect(opens.first?.spec.contains("Closes #7") == true)
        #expect(opens.first?.draft == false, "the recheck came back clean")
        #expect(opens.first?.repo == Self.repo)
        #expect(writes.allSatisfy { $0.branch == "switchboard/issue-7" && $0.repoURL == Self.cloneURL })
        let round = try #require(writes.last)
        #expect(!round.openPR)
        #expect(round.spec.contains("Sources/App.swift:3: Drop this print. (maintainer)"))
        #expect(round.spec.contains("Please rename it."))
        #expect(world.reviews.all.last.map { $0.repo == Self.repo && $0.number == 31 && $0.post == true } == true)
        #expect(github.replies.first { $0.comment == 4401 }?.body.contains("Addressed in 444444444444") == true)
        #expect(github.comments.contains { $0.number == 31 && $0.body.contains("fix rounds, the limit") })
        #expect(try await GitHubWebhookTests.queued(fixture, agent: "orchestrator").count == 2, "the issue run and one fix round")
    }
}

/// What scripted agents received, shared with their handlers.
final class Recorded<Element: Sendable>: Sendable {
    private let items = Mutex<[Element]>([])

    /// Appends and returns the count so far.
    func append(_ item: Element) -> Int {
        items.withLock { $0.append(item); return $0.count }
    }

    var all: [Element] { items.withLock { $0 } }
}
