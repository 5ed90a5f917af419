import AgentBase
import Foundation
import GitKit
@testable import Scraper
import SwitchboardTesting
import Testing

/// The scraper agent on a real Redis, fetching from the local fixture site: results, exports, refusals,
/// bad requests and the change report of a second scrape.
@Suite(.serialized)
struct ScraperServiceTests {
    /// A running scraper on its own test bus.
    struct Running {
        let bus: TestBus
        let service: RunningService
        let site: FixtureSite

        let workspace = FileManager.default.temporaryDirectory.appendingPathComponent("sb-scraper-\(UUID().uuidString.prefix(8))")

        init(_ values: [String: String] = ["SCRAPER_ALLOW_HOSTS": "127.0.0.1"]) async throws {
            bus = try TestBus()
            site = try FixtureSite()
            try await site.start()
            let git = try GitServices(environment: SwitchboardEnvironment(["WORKSPACE_DIR": workspace.path, "REDIS_URL": bus.url, "SB_PREFIX": bus.keys.prefix, "SB_REPO_ALLOW": GitFixture.allowedPrefix]), agent: "scraper", logger: quietLogger)
            let agent = ScraperService(configuration: try ScraperConfiguration(environment: SwitchboardEnvironment(values)), keys: bus.keys, logger: quietLogger, git: git)
            var handlers = AgentHandlers(schemas: try SchemaLibrary(directory: RepositoryPaths.schemas))
            agent.register(&handlers)
            var configuration = bus.configuration(agent: "scraper", maxAttempts: 1)
            configuration.timeout = .seconds(20)
            service = RunningService(AgentRunner(configuration: configuration, bus: bus.broker.agent, handlers: handlers, logger: quietLogger))
        }

        /// Publishes `todos.scrape` and waits for the task to end.
        func scrape(_ payload: String, conversation: String? = nil) async throws -> (status: TaskStatus?, snapshot: TaskSnapshot?) {
            let task = "scrape-\(UUID().uuidString.prefix(8))"
            _ = try await bus.broker.queue.publish(Envelope(type: TodosScrapeRequest.type, payload: payload, task: task, conversation: conversation), to: bus.keys.inbox("scraper"))
            try await eventually("task \(task) ends") { try await bus.status(task)?.isTerminal == true }
            let snapshot = try await bus.broker.tasks.task(task)
            return (snapshot?.status, snapshot)
        }

        func stop() async {
            await service.shutdown()
            await site.stop()
            try? FileManager.default.removeItem(at: workspace)
        }
    }

    static func payload(_ url: String, format: String = "markdown", selector: String? = nil, export: JSONValue? = nil) -> String {
        var object: [String: JSONValue] = ["url": .string(url), "format": .string(format)]
        if let selector { object["selector"] = .string(selector) }
        if let export { object["export"] = export }
        return JSONValue.object(object).jsonString
    }

    @Test("todos.scrape completes with items and Markdown; the result matches its JSON Schema; progress is published")
    func markdownResult() async throws {
        let running = try await Running()
        try await withTeardown {
            let (status, snapshot) = try await running.scrape(Self.payload(running.site.url("/fixtures/github-issue.html")))
            #expect(status == .completed)
            let text = try #require(snapshot?.result)
            let result = try JSONDecoder().decode(TodosScrapeResult.self, from: Data(text.utf8))
            #expect(result.items.count == 3)
            #expect(result.markdown?.hasPrefix("- [x] Tag v1.2.0 & publish notes (due 2026-12-01) #release\n") == true)
            #expect(result.sourceURL == running.site.url("/fixtures/github-issue.html"))
            #expect(result.changes == nil)
            let schemas = try SchemaLibrary(directory: RepositoryPaths.schemas)
            #expect(try schemas.validate(try JSONValue(parsing: text), against: "todos.scrape.result").isEmpty)
            let progress = try await running.bus.events(for: snapshot?.id ?? "").filter { $0.type == "task.progress" }
            #expect(progress.contains { $0.payload.contains("fetching") })
        } teardown: {
            await running.stop()
        }
    }

    @Test("format json returns items only; a selector narrows the page")
    func jsonFormat() async throws {
        let running = try await Running()
        try await withTeardown {
            let (status, snapshot) = try await running.scrape(Self.payload(running.site.url("/fixtures/sprints.html"), format: "json", selector: "#sprint-2"))
            #expect(status == .completed)
            let text = try #require(snapshot?.result)
            let result = try JSONDecoder().decode(TodosScrapeResult.self, from: Data(text.utf8))
            #expect(result.items == [todo("New work"), todo("Started early", true)])
            #expect(result.markdown == nil)
        } teardown: {
            await running.stop()
        }
    }

    @Test("with a conversation, the second scrape reports added, completed, reopened and removed items")
    func changeReport() async throws {
        let running = try await Running()
        try await withTeardown {
            let url = running.site.url("/mutable")
            running.site.setMutable("- [ ] Book flights\n- [ ] Pack\n- [x] Renew passport\n- [ ] Buy sunscreen\n")
            let first = try await running.scrape(Self.payload(url), conversation: "telegram:42")
            let firstText = try #require(first.snapshot?.result)
            let firstResult = try JSONDecoder().decode(TodosScrapeResult.self, from: Data(firstText.utf8))
            #expect(firstResult.changes == nil)
            running.site.setMutable("- [x] Book flights\n- [ ] Pack\n- [ ] Renew passport\n- [ ] Exchange money\n")
            let second = try await running.scrape(Self.payload(url), conversation: "telegram:42")
            let secondText = try #require(second.snapshot?.result)
            let changes = try #require(try JSONDecoder().decode(TodosScrapeResult.self, from: Data(secondText.utf8)).changes)
            #expect(changes.since == firstResult.fetchedAt)
            #expect(changes.added == ["Exchange money"])
            #expect(changes.completed == ["Book flights"])
            #expect(changes.reopened == ["Renew passport"])
            #expect(changes.removed == ["Buy sunscreen"])
            let other = try await running.scrape(Self.payload(url), conversation: "telegram:43")
            let otherText = try #require(other.snapshot?.result)
            #expect(try JSONDecoder().decode(TodosScrapeResult.self, from: Data(otherText.utf8)).changes == nil)
        } teardown: {
            await running.stop()
        }
    }

    @Test("an SSRF refusal fails the task at once with a readable reason and is not dead-lettered")
    func refusal() async throws {
        let running = try await Running([:])
        try await withTeardown {
            let (status, snapshot) = try await running.scrape(Self.payload(running.site.url("/fixtures/todo.md")))
            #expect(status == .failed)
            #expect(snapshot?.error?.contains("loopback") == true)
            #expect(snapshot?.fields["error_code"] == "forbidden_address")
            #expect(snapshot?.attempts == 1)
            let failed = try await running.bus.events(for: snapshot?.id ?? "").first { $0.type == "task.failed" }
            #expect(failed?.payload.contains("SCRAPER_ALLOW_HOSTS") == true)
            #expect(try await running.bus.broker.deadLetters.deadLetters(agent: "scraper", count: 10).isEmpty)
        } teardown: {
            await running.stop()
        }
    }

    @Test("an export to a repository outside the allow-list fails with forbidden_repository and commits nothing")
    func exportOutsideTheAllowList() async throws {
        let running = try await Running()
        try await withTeardown {
            let (status, snapshot) = try await running.scrape(Self.payload(running.site.url("/fixtures/todo.md"), export: ["repo_url": "https://attacker.example/x.git", "path": "TODO.md"]))
            #expect(status == .failed)
            #expect(snapshot?.fields["error_code"] == "forbidden_repository")
            #expect(snapshot?.error?.contains("SB_REPO_ALLOW") == true)
        } teardown: {
            await running.stop()
        }
    }

    @Test("bad requests go to the dead-letter stream with a reason and a task.failed event")
    func badRequests() async throws {
        let running = try await Running()
        try await withTeardown {
            for payload in [#"{"url":"file:///etc/passwd"}"#, #"{"url":"https://todo.example.com","format":"pdf"}"#, #"{"format":"json"}"#, "not json"] {
                let (status, snapshot) = try await running.scrape(payload)
                #expect(status == .failed, "\(payload)")
                let failed = try await running.bus.events(for: snapshot?.id ?? "").first { $0.type == "task.failed" }
                #expect(failed != nil, "\(payload)")
            }
            let letters = try await running.bus.broker.deadLetters.deadLetters(agent: "scraper", count: 10)
            #expect(letters.count == 4)
            #expect(letters.allSatisfy { !($0["reason"] ?? "").isEmpty })
        } teardown: {
            await running.stop()
        }
    }

    @Test("export commits the Markdown to a repository file once; an unchanged page commits nothing; a new branch is created")
    func export() async throws {
        let running = try await Running()
        try await withTeardown {
            let repository = try await GitFixture.make()
            defer { repository.remove() }
            let url = running.site.url("/fixtures/todo.md")
            let first = try await running.scrape(Self.payload(url, export: ["repo_url": .string(repository.url), "path": "docs/TODO.md"]))
            let firstText = try #require(first.snapshot?.result, "\(first.snapshot?.error ?? "")")
            let result = try JSONDecoder().decode(TodosScrapeResult.self, from: Data(firstText.utf8))
            let export = try #require(result.export)
            #expect(export.changed && export.branch == "main")
            #expect(try await repository.head("main") == export.commit)
            #expect(try await repository.file("docs/TODO.md", at: "main") == result.markdown)
            #expect(try await repository.log("main").first == "Sync todos from \(url)")

            let again = try await running.scrape(Self.payload(url, export: ["repo_url": .string(repository.url), "path": "docs/TODO.md"]))
            let againText = try #require(again.snapshot?.result)
            let unchanged = try #require(try JSONDecoder().decode(TodosScrapeResult.self, from: Data(againText.utf8)).export)
            #expect(!unchanged.changed && unchanged.commit == export.commit)
            #expect(try await repository.log("main").count == 2)

            let copy = try await running.scrape(Self.payload(url, export: ["repo_url": .string(repository.url), "path": "docs/TODO.md", "branch": "copy"]))
            let copyText = try #require(copy.snapshot?.result, "\(copy.snapshot?.error ?? "")")
            let copied = try #require(try JSONDecoder().decode(TodosScrapeResult.self, from: Data(copyText.utf8)).export)
            #expect(!copied.changed && copied.commit == export.commit)
            #expect(try await repository.head("copy") == export.commit)

            let json = try await running.scrape(Self.payload(url, format: "json", export: ["repo_url": .string(repository.url), "path": "todos.json", "branch": "todos"]))
            #expect(json.status == .completed)
            let exported = try await repository.file("todos.json", at: "todos")
            #expect(try JSONDecoder().decode([TodoItem].self, from: Data(exported.utf8)).count == 4)
            #expect(try await repository.head("main") == export.commit)

            let refused = try await running.scrape(Self.payload(url, export: ["repo_url": .string(repository.url), "path": "../outside.md"]))
            #expect(refused.status == .failed)
            #expect(refused.snapshot?.error?.contains("outside.md") == true)
        } teardown: {
            await running.stop()
        }
    }
}
