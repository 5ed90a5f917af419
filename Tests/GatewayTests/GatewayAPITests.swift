import AgentBase
import Foundation
@testable import Gateway
import Hummingbird
import HummingbirdTesting
import Logging
import NIOFoundationEssentialsCompat
import ServiceLifecycle
import SwitchboardTesting
import Testing

/// The REST API over real HTTP on loopback, against a real Redis, with a real runner behind it.
@Suite(.serialized)
struct GatewayAPITests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    // Assembled at run time: no literal credential in the tree.
    static let token = "sbtest-" + String(repeating: "k3y", count: 6)

    struct Fixture {
        let gateway: GatewayApplication
        let environment: SwitchboardEnvironment

        /// `access` is the text of an access.yaml for this gateway (the shipped one when nil). The gateway sees only
        /// `extra` and the test Redis: nothing of the process environment leaks into a test. `SB_PREFIX` in `extra`
        /// shares keys between fixtures; the gateway logs to `logger` (nothing when nil).
        init(_ extra: [String: String] = [:], access: String? = nil, logger: Logger? = nil) throws {
            var values = ["REDIS_URL": try SharedRedis.url()].merging(extra) { $1 }
            if let access {
                let file = FileManager.default.temporaryDirectory.appendingPathComponent("access-\(UUID().uuidString).yaml")
                try access.write(to: file, atomically: true, encoding: .utf8)
                values["SB_ACCESS"] = file.path
            }
            if values["SB_PREFIX"] == nil { values["SB_PREFIX"] = "gw\(UUID().uuidString.prefix(8).lowercased())" }
            values["SB_REGISTRY"] = GatewayAPITests.repository.appendingPathComponent("Registry/agents.yaml").path
            environment = SwitchboardEnvironment(values)
            var quiet = Logger(label: "gateway-test")
            quiet.logLevel = .critical
            var configuration = try GatewayConfiguration(environment: environment)
            (configuration.host, configuration.port) = ("127.0.0.1", 0)
            if extra["GATEWAY_API_TOKENS"] == nil { configuration.apiTokens = ["ci": GatewayAPITests.token] }
            gateway = try GatewayApplication(environment: environment, configuration: configuration, logger: logger ?? quiet)
        }

        var auth: HTTPFields { [.authorization: "Bearer \(GatewayAPITests.token)", .contentType: "application/json"] }

        /// Whether the one task published to `agent` has its acknowledgement recorded, so progress has a message to edit.
        func acknowledgementRecorded(agent: String) async throws -> Bool {
            let entries = try await gateway.bus.redis.send(["XRANGE", environment.keys.inbox(agent), "-", "+"])
            guard let task = entries.array?.first?.array?.last?.fieldPairs?.first(where: { $0.0 == "task" })?.1 else { return false }
            return try await gateway.bus.redis.send(["HEXISTS", environment.keys.origin(task), "status_message"]).int == 1
        }

        /// Runs a scraper runner in this process, answering every todos.scrape with one item, while `body` runs; then
        /// stops it and waits for it to end, also when `body` throws. With `gate`, each handler waits until that Redis
        /// key exists before it reports progress.
        func withScraper<Value>(delay: Duration = .zero, gate: String? = nil, _ body: () async throws -> Value) async throws -> Value {
            var handlers = AgentHandlers()
            let broker = gateway.bus
            handlers.on(TodosScrapeRequest.self) { request, context in
                if let gate {
                    while try await broker.redis.send(["EXISTS", gate]).int == 0 { try await Task.sleep(for: .milliseconds(10)) }
                }
                await context.progress("fetching", percent: 50)
                try await Task.sleep(for: delay)
                return TodosScrapeResult(sourceURL: request.url, fetchedAt: "2026-11-22T00:00:00Z", items: [TodoItem(text: "write tests", done: true)])
            }
            var configuration = RunnerConfiguration(entry: gateway.registry.agent(named: "scraper")!, keys: environment.keys, consumer: "test")
            configuration.readBlock = .milliseconds(100)
            configuration.heartbeatInterval = .milliseconds(100)
            var logger = Logger(label: "runner")
            logger.logLevel = .critical
            let runner = AgentRunner(configuration: configuration, bus: gateway.bus.agent, handlers: handlers, logger: logger)
            return try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await runner.run() }
                defer { runner.stop() }
                return try await body()
            }
        }
    }

    static func json(_ buffer: ByteBuffer) throws -> JSONValue {
        try JSONValue(parsing: Data(buffer: buffer))
    }

    static let scrape = #"{"type":"todos.scrape","payload":{"url":"https://todo.example.com/list","format":"json"},"conversation":"c-1"}"#

    @Test("every route of the router is in the OpenAPI document, which is OpenAPI 3.1")
    func openAPICoversRoutes() throws {
        let secret = "whsec-" + String(repeating: "t", count: 20)
        let fixture = try Fixture(["TELEGRAM_BOT_TOKEN": "1:" + secret, "TELEGRAM_MODE": "webhook", "TELEGRAM_WEBHOOK_SECRET": secret])
        let document = try JSONValue(parsing: Data(OpenAPIDocument.data))
        #expect(document["openapi"]?.stringValue == "3.1.0")
        let paths = try #require(document["paths"]?.objectValue)
        let routes = fixture.gateway.makeRouter().routes
        #expect(routes.count >= 12)
        for route in routes {
            let path = route.path.description.hasPrefix("/") ? route.path.description : "/\(route.path.description)"
            #expect(paths[path]?[route.method.rawValue.lowercased()] != nil, "\(route.method) \(path) is not in openapi.json")
        }
        let documented = paths.flatMap { path, item in (item.objectValue ?? [:]).keys.map { "\($0.uppercased()) \(path)" } }
        let served = routes.map { "\($0.method.rawValue) /\($0.path.description)".replacingOccurrences(of: "//", with: "/") }
        #expect(Set(documented) == Set(served))
    }

    @Test("401 without or with a wrong bearer token; health, readiness and the document need none")
    func authentication() async throws {
        let fixture = try Fixture()
        try await fixture.gateway.makeApplication().test(.live) { client in
            do {
                let response = try await client.execute(uri: "/v1/agents", method: .get)
                #expect(response.status == .unauthorized)
                #expect(try Self.json(response.body)["error"]?.stringValue == "unauthorized")
                #expect(response.headers[.wwwAuthenticate] != nil)
            }
            do {
                let response = try await client.execute(uri: "/v1/agents", method: .get, headers: [.authorization: "Bearer wrong-token-of-some-length"])
                #expect(response.status == .unauthorized)
                #expect(try Self.json(response.body)["message"]?.stringValue == "the bearer token is not valid")
            }
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
            do {
                let response = try await client.execute(uri: "/openapi.json", method: .get)
                #expect(response.status == .ok)
                #expect(try Self.json(response.body)["openapi"]?.stringValue == "3.1.0")
            }
            do {
                // The streams' contract, public like the API's: built from the registry this gateway loaded, keys under its prefix.
                let response = try await client.execute(uri: "/asyncapi.json", method: .get)
                #expect(response.status == .ok)
                let document = try Self.json(response.body)
                #expect(document["asyncapi"]?.stringValue == "3.0.0")
                #expect(document["channels"]?["inbox.scraper"]?["address"]?.stringValue == fixture.environment.keys.inbox("scraper"))
            }
            do {
                let response = try await client.execute(uri: "/nowhere", method: .get)
                #expect(response.status == .notFound)
                #expect(try Self.json(response.body)["error"]?.stringValue == "not_found")
            }
        }
    }

    @Test("POST /v1/messages: 202 with the task, which is QUEUED on the agent's stream with source api:<client>")
    func postMessage() async throws {
        let fixture = try Fixture()
        try await fixture.gateway.makeApplication().test(.live) { client in
            do {
                let response = try await client.execute(uri: "/v1/messages", method: .post, headers: fixture.auth, body: ByteBuffer(string: Self.scrape))
                #expect(response.status == .accepted)
                let body = try Self.json(response.body)
                let task = try #require(body["task"]?.stringValue)
                #expect(body["status_url"]?.stringValue == "/v1/tasks/\(task)")
                #expect(body["events_url"]?.stringValue == "/v1/tasks/\(task)/events")
                #expect(response.headers[.location] == "/v1/tasks/\(task)")
                let snapshot = try #require(try await fixture.gateway.bus.tasks.task(task))
                #expect(snapshot.status == .queued)
                #expect(snapshot.fields["source"] == "api:ci")
                #expect(snapshot.fields["conversation"] == "c-1")
                #expect(snapshot.fields["stream"] == fixture.environment.keys.inbox("scraper"))
            }
            do {
                let response = try await client.execute(uri: "/v1/tasks/nope", method: .get, headers: fixture.auth)
                #expect(response.status == .notFound)
                #expect(try Self.json(response.body)["message"]?.stringValue?.contains("no task nope") == true)
            }
        }
    }

    @Test("bad requests: 400 for bad JSON, an unknown type or a non-object payload; 422 with details for a schema violation", arguments: [
        ("not json", 400, "bad_request"),
        (#"{"payload":{}}"#, 400, "bad_request"),
        (#"{"type":"no.such","payload":{}}"#, 400, "unknown_type"),
        (#"{"type":"todos.scrape","payload":[1]}"#, 400, "bad_request"),
        (#"{"type":"todos.scrape","payload":{"url":7}}"#, 422, "invalid_payload"),
        (#"{"type":"pr.review","payload":{"post":true}}"#, 422, "invalid_payload"),
        (#"{"type":"todos.scrape","payload":{"url":""# + String(repeating: "x", count: 2 << 20) + #""}}"#, 413, "too_large"),
    ] as [(String, Int, String)])
    func badRequests(body: String, status: Int, code: String) async throws {
        let fixture = try Fixture()
        try await fixture.gateway.makeApplication().test(.live) { client in
            do {
                let response = try await client.execute(uri: "/v1/messages", method: .post, headers: fixture.auth, body: ByteBuffer(string: body))
                #expect(response.status.code == status)
                let json = try Self.json(response.body)
                #expect(json["error"]?.stringValue == code)
                #expect(json["message"]?.stringValue?.isEmpty == false)
                #expect(status != 422 || (json["details"]?.arrayValue?.count ?? 0) >= 1)
            }
        }
        #expect(try await fixture.gateway.bus.redis.send(["EXISTS", fixture.environment.keys.inbox("scraper")]).int == 0)
    }

    @Test("the same idempotency_key gets the same task")
    func idempotency() async throws {
        let fixture = try Fixture()
        let body = #"{"type":"todos.scrape","payload":{"url":"https://todo.example.com/a"},"idempotency_key":"k-1"}"#
        try await fixture.gateway.makeApplication().test(.live) { client in
            let first = try await client.execute(uri: "/v1/messages", method: .post, headers: fixture.auth, body: ByteBuffer(string: body))
            let second = try await client.execute(uri: "/v1/messages", method: .post, headers: fixture.auth, body: ByteBuffer(string: body))
            #expect(first.status == .accepted)
            #expect(second.status == .ok)
            #expect(try Self.json(first.body)["task"] == Self.json(second.body)["task"])
            #expect(try Self.json(second.body)["duplicate"]?.boolValue == true)
        }
        #expect(try await fixture.gateway.bus.redis.send(["XLEN", fixture.environment.keys.inbox("scraper")]).int == 1)
    }

    @Test("GET /v1/tasks/{id}/events streams the task from snapshot to task.completed as Server-Sent Events")
    func serverSentEvents() async throws {
        let fixture = try Fixture()
        let gate = "\(fixture.environment.keys.prefix):test:gate"
        try await fixture.withScraper(gate: gate) {
            try await fixture.gateway.makeApplication().test(.live) { client in
                let posted = try await client.execute(uri: "/v1/messages", method: .post, headers: fixture.auth, body: ByteBuffer(string: Self.scrape))
                let task = try #require(try Self.json(posted.body)["task"]?.stringValue)
                // The task is let go once its event stream is being watched, so the stream sees every event.
                async let opened: Void = {
                    while !fixture.gateway.events.isWatched(task) { try await Task.sleep(for: .milliseconds(10)) }
                    try await fixture.gateway.bus.redis.send(["SET", gate, "1"])
                }()
                let stream = try await client.execute(uri: "/v1/tasks/\(task)/events", method: .get, headers: fixture.auth)
                try await opened
                #expect(stream.status == .ok)
                #expect(stream.headers[.contentType] == "text/event-stream")
                let text = String(buffer: stream.body)
                let events = text.split(separator: "\n").filter { $0.hasPrefix("event: ") }.map { String($0.dropFirst(7)) }
                #expect(events.first == "task.snapshot")
                #expect(events.last == "task.completed")
                #expect(events.contains("task.progress"))
                #expect(text.contains(#""text":"write tests""#))
                let view = try await client.execute(uri: "/v1/tasks/\(task)", method: .get, headers: fixture.auth)
                let json = try Self.json(view.body)
                #expect(json["status"]?.stringValue == "COMPLETED")
                #expect(json["result"]?["items"]?[0]?["done"]?.boolValue == true)
                let finished = try await client.execute(uri: "/v1/tasks/\(task)/events", method: .get, headers: fixture.auth)
                #expect(String(buffer: finished.body).split(separator: "\n").filter { $0.hasPrefix("event: ") } == ["event: task.snapshot"])
            }
        }
    }

    @Test("cancel: a queued task ends CANCELLED at once; cancelling it again is 409; an unknown task is 404")
    func cancel() async throws {
        let fixture = try Fixture()
        try await fixture.gateway.makeApplication().test(.live) { client in
            let posted = try await client.execute(uri: "/v1/messages", method: .post, headers: fixture.auth, body: ByteBuffer(string: Self.scrape))
            let task = try #require(try Self.json(posted.body)["task"]?.stringValue)
            let cancelled = try await client.execute(uri: "/v1/tasks/\(task)/cancel", method: .post, headers: fixture.auth)
            #expect(cancelled.status == .ok)
            #expect(try Self.json(cancelled.body)["status"]?.stringValue == "CANCELLED")
            let again = try await client.execute(uri: "/v1/tasks/\(task)/cancel", method: .post, headers: fixture.auth)
            #expect(again.status == .conflict)
            #expect(try Self.json(again.body)["error"]?.stringValue == "already_ended")
            let unknown = try await client.execute(uri: "/v1/tasks/nope/cancel", method: .post, headers: fixture.auth)
            #expect(unknown.status == .notFound)
        }
    }

    @Test("the orchestrator's workflows, and schedules with their next fire time")
    func workflowsAndSchedules() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("schedules-\(UUID().uuidString).yaml")
        try "schedules:\n  - {name: hourly, cron: \"5 * * * *\", workflow: pr_review, inputs: {repo: org/app, number: 1}}\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let fixture = try Fixture(["SB_SCHEDULES": file.path])
        try await fixture.gateway.makeApplication().test(.live) { client in
            let workflows = try Self.json(try await client.execute(uri: "/v1/workflows", method: .get, headers: fixture.auth).body)
            #expect(workflows.arrayValue?.compactMap { $0["name"]?.stringValue } == ["pr_review", "sync_todos", "create_pr", "fix_pr"])
            let createPR = try #require(workflows.arrayValue?.first { $0["name"] == "create_pr" })
            #expect(createPR["steps"]?[2]?["loop"]?.stringValue == "fixes")
            let hooks = try Self.json(try await client.execute(uri: "/v1/webhooks", method: .get, headers: fixture.auth).body)
            #expect(hooks.arrayValue?.compactMap { $0["name"]?.stringValue } == ["jira", "sentry", "ci"])
            #expect(hooks[0]?["secret_variable"] == "JIRA_WEBHOOK_SECRET")
            #expect(hooks[1]?["rules"]?[0]?["action"] == "message chat.message + notify")
            let schedules = try Self.json(try await client.execute(uri: "/v1/schedules", method: .get, headers: fixture.auth).body)
            #expect(schedules[0]?["workflow"]?.stringValue == "pr_review")
            #expect(schedules[0]?["message"]?.stringValue == "workflow.run")
            #expect(schedules[0]?["next_fire"]?.stringValue?.hasSuffix(":05:00Z") == true)
        }
    }

    @Test("agents with live heartbeats; dead letters listed and replayed")
    func agentsAndDeadLetters() async throws {
        let fixture = try Fixture()
        try await fixture.withScraper {
            _ = try await fixture.gateway.bus.queue.publish(Envelope(type: "todos.scrape", payload: #"{"url": 1}"#), to: fixture.environment.keys.inbox("scraper"))
            try await waitUntil("dead-lettered", timeout: .seconds(10)) { try await !fixture.gateway.bus.deadLetters.deadLetters(agent: "scraper", count: 1).isEmpty }
            try await fixture.gateway.makeApplication().test(.live) { client in
                let agents = try Self.json(try await client.execute(uri: "/v1/agents", method: .get, headers: fixture.auth).body)
                let scraper = try #require(agents.arrayValue?.first { $0["name"]?.stringValue == "scraper" })
                #expect(scraper["instances"]?[0]?["instance"]?.stringValue == "test")
                #expect(scraper["consumes"]?[0]?.stringValue == "todos.scrape")

                let letters = try await client.execute(uri: "/v1/dlq/scraper", method: .get, headers: fixture.auth)
                let list = try #require(try Self.json(letters.body).arrayValue)
                #expect(list.count == 1)
                #expect(list[0]["error"]?.stringValue == "invalid_payload")
                let id = try #require(list[0]["id"]?.stringValue)
                let replayed = try await client.execute(uri: "/v1/dlq/scraper/\(id)/replay", method: .post, headers: fixture.auth)
                #expect(replayed.status == .accepted)
                // Republished on the agent's stream as it came, under a new task that the scraper then runs (and, the
                // payload being as wrong as before, fails again).
                let stream = fixture.environment.keys.inbox("scraper")
                let answer = try Self.json(replayed.body)
                #expect(answer["stream"]?.stringValue == stream)
                let entryID = try #require(answer["entry"]?.stringValue)
                let entry = try #require(try await fixture.gateway.bus.entry(entryID, in: stream))
                #expect(entry["type"] == "todos.scrape")
                #expect(entry["payload"] == #"{"url": 1}"#)
                let task = try #require(entry["task"])
                #expect(task != list[0]["task"]?.stringValue)
                try await waitUntil("the replayed task ran", timeout: .seconds(10)) { try await fixture.gateway.bus.tasks.task(task)?.status == .failed }
                let missing = try await client.execute(uri: "/v1/dlq/scraper/\(id)/replay", method: .post, headers: fixture.auth)
                #expect(missing.status == .notFound)
                let unknownAgent = try await client.execute(uri: "/v1/dlq/nobody", method: .get, headers: fixture.auth)
                #expect(unknownAgent.status == .notFound)
            }
        }
    }

    @Test("API clients are rate limited only when GATEWAY_RATE_LIMIT_API is set: 429 with Retry-After")
    func apiRateLimit() async throws {
        let fixture = try Fixture(["GATEWAY_RATE_LIMIT_API": "2/1h"])
        try await fixture.gateway.makeApplication().test(.live) { client in
            var statuses: [Int] = []
            var last: TestResponse?
            for _ in 0..<3 {
                let response = try await client.execute(uri: "/v1/messages", method: .post, headers: fixture.auth, body: ByteBuffer(string: Self.scrape))
                statuses.append(Int(response.status.code))
                last = response
            }
            #expect(statuses == [202, 202, 429])
            #expect(try Self.json(try #require(last).body)["error"]?.stringValue == "rate_limited")
            #expect(last?.headers[.retryAfter] != nil)
        }
    }
}
