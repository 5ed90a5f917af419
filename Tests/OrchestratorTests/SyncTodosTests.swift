import AgentBase
import Foundation
import Hummingbird
import Scraper
import Synchronization
import SwitchboardTesting
import Testing

/// The shipped `sync_todos` end to end with the real Scraper fetching a page over loopback; CodeWriter (built in
/// its own issue) is played by a scripted agent that records the edit it is asked to commit.
@Suite(.serialized)
struct SyncTodosTests {
    @Test("sync_todos: the real scraper's Markdown becomes the file content of a code.write edit")
    func syncTodos() async throws {
        let router = Router()
        router.get("/list") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/markdown"], body: .init(byteBuffer: ByteBuffer(string: "# Tasks\n\n- [x] Tag the release\n- [ ] Write the notes\n")))
        }
        let site = LocalServer(router: router)
        try await site.start()
        let yaml = try String(contentsOf: RepositoryPaths.root.appendingPathComponent("Registry/workflows.yaml"), encoding: .utf8)
        let harness = try Harness(workflows: yaml)

        let scraper = ScraperService(configuration: try ScraperConfiguration(environment: SwitchboardEnvironment(["SCRAPER_ALLOW_HOSTS": "127.0.0.1"])), keys: harness.bus.keys, logger: quietLogger)
        var handlers = AgentHandlers(schemas: try SchemaLibrary(directory: RepositoryPaths.schemas))
        scraper.register(&handlers)
        let edits = Mutex<[CodeEdit]>([])
        let replicas = [
            Replica([AgentRunner(configuration: harness.bus.configuration(agent: "scraper", maxAttempts: 1), bus: try harness.bus.replicaBroker().agent, handlers: handlers, logger: quietLogger)]),
            try harness.agent("code-writer", CodeWriteRequest.self) { request, _ in
                edits.withLock { $0 = request.edits ?? [] }
                return Scripted.write(request)
            },
            try harness.orchestrator("o1"),
        ]
        let run = try await harness.run("sync_todos", ["url": .string("\(site.url)/list"), "repo_url": "file:///srv/git/app.git", "path": "docs/TODO.md"])
        let snapshot = try await harness.finished(run)
        for replica in replicas { await replica.shutdown() }
        await site.stop()

        #expect(snapshot.status == .completed, "\(snapshot.error ?? "")")
        #expect(edits.withLock { $0 } == [CodeEdit(path: "docs/TODO.md", content: "- [x] Tag the release\n- [ ] Write the notes\n")])
        #expect(try harness.result(snapshot).output == ["items": 2, "branch": "switchboard/change", "commit": "abc123"])
    }
}
