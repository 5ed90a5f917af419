import AgentBase
import Foundation
@testable import Gateway
import Hummingbird
import HummingbirdTesting
import NIOFoundationEssentialsCompat
import Testing

/// The dashboard's pages and the JSON endpoints they use, over real HTTP and Redis: redirects without a session,
/// escaping of what a task carries, roles (buttons and 403), CSRF, task lists with filters and paging, the web chat's
/// conversations, dead letters and schedules.
@Suite(.serialized)
struct DashboardTests {
    typealias Fixture = GatewayAPITests.Fixture
    static let viewerToken = "sbtest-viewer-" + String(repeating: "v", count: 12)

    /// A browser session of `token`: its cookie and the CSRF token its pages carry.
    struct Browser {
        var cookie: String
        var csrf: String

        var headers: HTTPFields {
            [.cookie: cookie, .origin: "http://localhost", .contentType: "application/json", SameOrigin.header: csrf]
        }
    }

    static func login(_ client: some TestClientProtocol, token: String = GatewayAPITests.token) async throws -> Browser {
        let response = try await client.execute(uri: "/login", method: .post, headers: LoginTests.headers(), body: LoginTests.form(token))
        let cookie = String(try #require(response.headers[.setCookie]).prefix { $0 != ";" })
        let page = String(buffer: try await client.execute(uri: "/", method: .get, headers: [.cookie: cookie]).body)
        let csrf = try #require(page.firstMatch(of: /<meta name="csrf-token" content="([0-9a-f]{64})">/)).1
        return Browser(cookie: cookie, csrf: String(csrf))
    }

    static func tokens() -> [String: String] {
        ["GATEWAY_API_TOKENS": "ci:\(GatewayAPITests.token):admin,guest:\(viewerToken):viewer"]
    }

    @Test("Every page redirects to /login without a session, renders with one, with the CSP and the viewer's identity")
    func pages() async throws {
        let fixture = try Fixture(Self.tokens())
        try await fixture.gateway.makeApplication().test(.live) { client in
            let pages = ["/", "/tasks", "/chat", "/agents", "/workflows", "/schedules", "/dlq", "/costs", "/approvals", "/runs/none-yet"]
            for page in pages {
                let response = try await client.execute(uri: page, method: .get)
                #expect(response.status == .seeOther, "\(page)")
                #expect(response.headers[.location] == "/login")
            }
            let browser = try await Self.login(client)
            for page in pages {
                let response = try await client.execute(uri: page, method: .get, headers: [.cookie: browser.cookie])
                #expect(response.status == .ok, "\(page)")
                #expect(response.headers[.contentSecurityPolicy] == WebPage.contentSecurityPolicy)
                let html = String(buffer: response.body)
                #expect(html.contains("web:ci · admin"), "\(page)")
                #expect(!html.contains("<script>") && !html.contains(" style=") && !html.contains("<style"), "\(page): no inline script or style")
            }
            // The registry page lists the webhook endpoints of webhooks.yaml, naming where secrets come from, never a secret.
            let agents = String(buffer: try await client.execute(uri: "/agents", method: .get, headers: [.cookie: browser.cookie]).body)
            #expect(agents.contains("Webhook endpoints") && agents.contains("POST /webhooks/hooks/jira") && agents.contains("JIRA_WEBHOOK_SECRET"))
            #expect(agents.contains("hook:jira (operator)") && agents.contains("issue_to_pr: workflow create_pr"))
            // Every page links the machine-readable contracts.
            #expect(agents.contains(#"href="/asyncapi.json""#) && agents.contains(#"href="/openapi.json""#))
            for asset in ["app.js", "chat.js", "app.css"] {
                #expect(try await client.execute(uri: "/assets/\(asset)", method: .get).status == .ok)
            }
            #expect(try await client.execute(uri: "/assets/nope.js", method: .get).status == .notFound)
            // The JSON API still answers 401, not a redirect.
            #expect(try await client.execute(uri: "/v1/tasks", method: .get).status == .unauthorized)
        }
    }

    @Test("/tasks/{id}: a payload and a result with <script> render as text; a viewer gets no cancel button and 403 on cancel")
    func taskPageEscapesAndRoles() async throws {
        let fixture = try Fixture(Self.tokens())
        try await fixture.gateway.makeApplication().test(.live) { client in
            let body = #"{"type":"chat.message","payload":{"text":"<script>alert(1)</script><img src=x onerror=alert(2)>"}}"#
            let published = try await client.execute(uri: "/v1/messages", method: .post, headers: fixture.auth, body: ByteBuffer(string: body))
            let task = try #require(try GatewayAPITests.json(published.body)["task"]?.stringValue)
            _ = try await fixture.gateway.bus.redis.send(["HSET", fixture.environment.keys.task(task), "text", "<b onmouseover=x>done</b>", "result", #"{"reply":"</pre><script>x()</script>"}"#])
            let admin = try await Self.login(client)
            let html = String(buffer: try await client.execute(uri: "/tasks/\(task)", method: .get, headers: [.cookie: admin.cookie]).body)
            #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;"))
            #expect(html.contains("&lt;b onmouseover=x&gt;done&lt;/b&gt;"))
            #expect(!html.contains("<script>") && !html.contains("<img") && !html.contains("<b "))
            #expect(html.contains(#"id="cancel""#))
            #expect(html.contains(#"<span id="task-status" class="status queued">queued</span>"#))

            let viewer = try await Self.login(client, token: Self.viewerToken)
            let viewerPage = String(buffer: try await client.execute(uri: "/tasks/\(task)", method: .get, headers: [.cookie: viewer.cookie]).body)
            #expect(viewerPage.contains("web:guest · viewer"))
            #expect(!viewerPage.contains(#"id="cancel""#))
            let refused = try await client.execute(uri: "/v1/tasks/\(task)/cancel", method: .post, headers: viewer.headers)
            #expect(refused.status == .forbidden)
            #expect(try GatewayAPITests.json(refused.body)["message"]?.stringValue?.contains("web:guest") == true)
            var noToken = admin.headers
            noToken[SameOrigin.header] = "0000"
            let csrf = try await client.execute(uri: "/v1/tasks/\(task)/cancel", method: .post, headers: noToken)
            #expect(csrf.status == .forbidden)
            #expect(try GatewayAPITests.json(csrf.body)["error"]?.stringValue == "csrf")
            #expect(try await client.execute(uri: "/v1/tasks/\(task)/cancel", method: .post, headers: admin.headers).status == .ok)
            let approvals = String(buffer: try await client.execute(uri: "/approvals", method: .get, headers: [.cookie: viewer.cookie]).body)
            #expect(approvals.contains("No approvals are waiting."))
        }
    }

    @Test("GET /v1/tasks: newest first, filters by status, agent, type and source, pages by cursor without repeats")
    func taskList() async throws {
        let fixture = try Fixture(Self.tokens())
        try await fixture.gateway.makeApplication().test(.live) { client in
            var published: [String] = []
            for index in 0..<7 {
                let body = index.isMultiple(of: 2) ? GatewayAPITests.scrape : #"{"type":"chat.message","payload":{"text":"hi"}}"#
                let response = try await client.execute(uri: "/v1/messages", method: .post, headers: fixture.auth, body: ByteBuffer(string: body))
                published.append(try #require(try GatewayAPITests.json(response.body)["task"]?.stringValue))
            }
            var seen: [String] = []
            var after: String?
            repeat {
                let uri = "/v1/tasks?limit=3" + (after.map { "&after=\($0)" } ?? "")
                let page = try GatewayAPITests.json(try await client.execute(uri: uri, method: .get, headers: fixture.auth).body)
                seen += page["tasks"]?.arrayValue?.compactMap { $0["task"]?.stringValue } ?? []
                after = page["next"]?.stringValue
            } while after != nil && seen.count < 20
            #expect(seen == published.reversed(), "every task once, newest first")
            let scrapes = try GatewayAPITests.json(try await client.execute(uri: "/v1/tasks?agent=scraper&status=queued&source=api:", method: .get, headers: fixture.auth).body)
            #expect(scrapes["tasks"]?.arrayValue?.count == 4)
            let chats = try GatewayAPITests.json(try await client.execute(uri: "/v1/tasks?type=chat.message", method: .get, headers: fixture.auth).body)
            #expect(chats["tasks"]?.arrayValue?.count == 3)
            let future = try GatewayAPITests.json(try await client.execute(uri: "/v1/tasks?since=2100-01-01T00:00:00Z", method: .get, headers: fixture.auth).body)
            #expect(future["tasks"]?.arrayValue?.isEmpty == true)
            #expect(try await client.execute(uri: "/v1/tasks?status=sleeping", method: .get, headers: fixture.auth).status == .badRequest)
            #expect(try await client.execute(uri: "/v1/tasks?limit=0", method: .get, headers: fixture.auth).status == .badRequest)
            let browser = try await Self.login(client)
            let html = String(buffer: try await client.execute(uri: "/tasks?type=chat.message", method: .get, headers: [.cookie: browser.cookie]).body)
            #expect(html.contains(#"data-task-status="\#(published[1])""#) && !html.contains(published[0]))
            let before = String(buffer: try await client.execute(uri: "/tasks?until=2000-01-01T00:00:00Z", method: .get, headers: [.cookie: browser.cookie]).body)
            #expect(before.contains("No tasks match.") && before.contains(#"name="until" value="946684800000""#))
            let overview = try GatewayAPITests.json(try await client.execute(uri: "/v1/overview", method: .get, headers: fixture.auth).body)
            #expect(overview["tasks_last_hour"]?["queued"] == .number(7))
        }
    }

    @Test("The web chat: create, list, rename, send (as web:<name>, kept in the conversation), delete; another client sees none")
    func conversations() async throws {
        let fixture = try Fixture(Self.tokens())
        try await fixture.gateway.makeApplication().test(.live) { client in
            let browser = try await Self.login(client)
            let created = try await client.execute(uri: "/v1/conversations", method: .post, headers: browser.headers, body: ByteBuffer(string: #"{"title":"First"}"#))
            #expect(created.status == .created)
            let id = try #require(try GatewayAPITests.json(created.body)["id"]?.stringValue)
            let renamed = try await client.execute(uri: "/v1/conversations/\(id)", method: .patch, headers: browser.headers, body: ByteBuffer(string: #"{"title":"Renamed <i>"}"#))
            #expect(try GatewayAPITests.json(renamed.body)["title"]?.stringValue == "Renamed <i>")
            let sent = try await client.execute(uri: "/v1/conversations/\(id)/messages", method: .post, headers: browser.headers, body: ByteBuffer(string: #"{"text":"hello there"}"#))
            #expect(sent.status == .ok)
            let task = try #require(try GatewayAPITests.json(sent.body)["task"]?.stringValue)
            let snapshot = try #require(try await fixture.gateway.bus.tasks.task(task))
            #expect(snapshot.fields["type"] == "chat.message")
            #expect(snapshot.fields["source"] == "web:ci")
            #expect(snapshot.fields["conversation"] == "web:ci:\(id)")
            let messages = try GatewayAPITests.json(try await client.execute(uri: "/v1/conversations/\(id)/messages", method: .get, headers: browser.headers).body)
            #expect(messages["messages"]?.arrayValue?.first?["text"]?.stringValue == "hello there")
            let page = String(buffer: try await client.execute(uri: "/chat?c=\(id)", method: .get, headers: [.cookie: browser.cookie]).body)
            #expect(page.contains("Renamed &lt;i&gt;") && page.contains("hello there"))
            // A guest's inbox is its own.
            let guest = try await Self.login(client, token: Self.viewerToken)
            #expect(try await client.execute(uri: "/v1/conversations/\(id)/messages", method: .get, headers: guest.headers).status == .notFound)
            #expect(try await client.execute(uri: "/v1/conversations/\(id)", method: .delete, headers: browser.headers).status == .noContent)
            #expect(try await client.execute(uri: "/v1/conversations/\(id)", method: .delete, headers: browser.headers).status == .notFound)
            #expect(try await client.execute(uri: "/v1/conversations/x/messages", method: .post, headers: browser.headers, body: ByteBuffer(string: "[]")).status == .notFound)
            #expect(try await client.execute(uri: "/v1/conversations", method: .post, headers: browser.headers, body: ByteBuffer(string: #"{"title":7}"#)).status == .badRequest)
        }
    }

    @Test("Dead letters: the page lists reason and payload escaped; delete one, replay all (admin only)")
    func deadLetters() async throws {
        let fixture = try Fixture(Self.tokens())
        let keys = fixture.environment.keys
        for index in 0..<3 {
            _ = try await fixture.gateway.bus.redis.send([
                "XADD", keys.deadLetters("scraper"), "*", "type", "todos.scrape", "payload", #"{"url":"https://x.example/\#(index)","format":"json"}"#,
                "task", "dead-\(index)", "reason", "handler_failed", "error", "<script>boom</script>", "attempts", "3",
            ])
        }
        try await fixture.gateway.makeApplication().test(.live) { client in
            let admin = try await Self.login(client)
            let html = String(buffer: try await client.execute(uri: "/dlq?agent=scraper", method: .get, headers: [.cookie: admin.cookie]).body)
            #expect(html.contains("&lt;script&gt;boom&lt;/script&gt;") && html.contains("3 dead letters") && html.contains("Replay all 3"))
            let first = try #require(try await fixture.gateway.bus.deadLetters.deadLetters(agent: "scraper", count: 1).first?.id)
            let guest = try await Self.login(client, token: Self.viewerToken)
            #expect(try await client.execute(uri: "/v1/dlq/scraper/\(first)", method: .delete, headers: guest.headers).status == .forbidden)
            #expect(try await client.execute(uri: "/v1/dlq/scraper/\(first)", method: .delete, headers: admin.headers).status == .noContent)
            #expect(try await client.execute(uri: "/v1/dlq/scraper/\(first)", method: .delete, headers: admin.headers).status == .notFound)
            #expect(try await client.execute(uri: "/v1/dlq/scraper/nope", method: .delete, headers: admin.headers).status == .badRequest)
            let replayed = try await client.execute(uri: "/v1/dlq/scraper/replay", method: .post, headers: admin.headers)
            #expect(try GatewayAPITests.json(replayed.body)["replayed"] == .number(2))
            #expect(try await fixture.gateway.bus.redis.send(["XLEN", keys.deadLetters("scraper")]).int == 0)
            #expect(try await fixture.gateway.bus.redis.send(["XLEN", keys.inbox("scraper")]).int == 2)
        }
    }

    @Test("Schedules: pause and resume (shown on the page), run now publishes the schedule's message")
    func schedules() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("schedules-\(UUID().uuidString).yaml")
        try "schedules:\n  - {name: hourly, cron: \"5 * * * *\", workflow: pr_review, inputs: {repo: org/app, number: 1}}\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let fixture = try Fixture(Self.tokens().merging(["SB_SCHEDULES": file.path]) { $1 })
        let name = "hourly"
        try await fixture.gateway.makeApplication().test(.live) { client in
            let admin = try await Self.login(client)
            #expect(try await client.execute(uri: "/v1/schedules/\(name)/pause", method: .post, headers: admin.headers).status == .ok)
            let listed = try GatewayAPITests.json(try await client.execute(uri: "/v1/schedules", method: .get, headers: fixture.auth).body)
            #expect(listed.arrayValue?.first { $0["name"]?.stringValue == name }?["paused"] == .bool(true))
            #expect(String(buffer: try await client.execute(uri: "/schedules", method: .get, headers: [.cookie: admin.cookie]).body).contains("Resume"))
            #expect(try await client.execute(uri: "/v1/schedules/\(name)/resume", method: .post, headers: admin.headers).status == .ok)
            #expect(try await fixture.gateway.bus.redis.send(["EXISTS", "\(fixture.environment.keys.prefix):schedule:\(name):paused"]).int == 0)
            let run = try await client.execute(uri: "/v1/schedules/\(name)/run", method: .post, headers: admin.headers)
            #expect(run.status == .accepted)
            let task = try #require(try GatewayAPITests.json(run.body)["task"]?.stringValue)
            #expect(try await fixture.gateway.bus.tasks.task(task)?.fields["source"] == "web:ci")
            #expect(try await client.execute(uri: "/v1/schedules/nope/run", method: .post, headers: admin.headers).status == .notFound)
        }
    }

    @Test("GET /v1/usage and /costs: spend by agent, user, model and day from the ledger, biggest spenders first")
    func usage() async throws {
        let fixture = try Fixture(Self.tokens())
        let keys = fixture.environment.keys
        let day = UsageLedger.day(Date())
        for (user, cost) in [("web:ci", 0.25), ("telegram:7", 1.5)] {
            let totals = [keys.usage(agent: "assistant"), keys.usage(user: user), keys.usage(model: "claude-sonnet-4-5"), keys.usage(day: day)]
            try await fixture.gateway.bus.tasks.recordUsage(task: "t-\(user)", usage: Usage(tokensIn: 100, tokensOut: 20, costUSD: cost), totals: totals)
        }
        try await fixture.gateway.makeApplication().test(.live) { client in
            let report = try GatewayAPITests.json(try await client.execute(uri: "/v1/usage", method: .get, headers: fixture.auth).body)
            #expect(report["users"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["telegram:7", "web:ci"])
            #expect(report["models"]?[0]?["cost_usd"] == .number(1.75))
            #expect(report["models"]?[0]?["calls"] == .number(2))
            #expect(report["days"]?.arrayValue?.last?["name"]?.stringValue == day)
            #expect(report["days"]?.arrayValue?.last?["tokens_in"] == .number(200))
            #expect(report["agents"]?.arrayValue?.first { $0["name"]?.stringValue == "assistant" }?["cost_usd"] == .number(1.75))
            let browser = try await Self.login(client)
            let html = String(buffer: try await client.execute(uri: "/costs", method: .get, headers: [.cookie: browser.cookie]).body)
            #expect(html.contains("telegram:7") && html.contains("$1.75") && html.contains("<svg role=\"img\""))
        }
    }

    @Test("GET /v1/events: every task's events as Server-Sent Events, with keep-alive comments; 401 without a token")
    func allEvents() async throws {
        let fixture = try Fixture(Self.tokens().merging(["GATEWAY_SSE_KEEPALIVE": "200ms"]) { $1 })
        try await fixture.gateway.makeApplication().test(.live) { client in
            try await waitUntil("the event hub reads", timeout: .seconds(5)) { try await client.execute(uri: "/readyz", method: .get).status == .ok }
            let port = try #require(client.port)
            let connection = try RawHTTPConnection(port: port, get: "/v1/events", headers: ["Authorization: Bearer \(GatewayAPITests.token)"])
            defer { connection.close() }
            #expect(try await connection.read(until: ": keep-alive\n\n"))
            let task = try await TaskEventStreamTests.queuedTask(client, fixture)
            #expect(try await connection.read(until: "event: task.queued"))
            #expect(try await connection.read(until: task))
            #expect(try await client.execute(uri: "/v1/events", method: .get).status == .unauthorized)
        }
    }

    @Test("POST /v1/tasks/{id}/replay publishes a failed task's request again as a new task; 409 unless it failed")
    func replayFailedTask() async throws {
        let fixture = try Fixture(Self.tokens())
        try await fixture.gateway.makeApplication().test(.live) { client in
            let published = try await client.execute(uri: "/v1/messages", method: .post, headers: fixture.auth, body: ByteBuffer(string: GatewayAPITests.scrape))
            let task = try #require(try GatewayAPITests.json(published.body)["task"]?.stringValue)
            let browser = try await Self.login(client)
            #expect(try await client.execute(uri: "/v1/tasks/\(task)/replay", method: .post, headers: browser.headers).status == .conflict)
            _ = try await fixture.gateway.bus.redis.send(["HSET", fixture.environment.keys.task(task), "status", "FAILED", "error", "boom"])
            let page = String(buffer: try await client.execute(uri: "/tasks/\(task)", method: .get, headers: [.cookie: browser.cookie]).body)
            #expect(page.contains(#"id="replay">Replay</button>"#) && !page.contains(#"id="cancel""#), "replay shown, cancel gone")
            let guest = try await Self.login(client, token: Self.viewerToken)
            #expect(try await client.execute(uri: "/v1/tasks/\(task)/replay", method: .post, headers: guest.headers).status == .forbidden)
            let replayed = try await client.execute(uri: "/v1/tasks/\(task)/replay", method: .post, headers: browser.headers)
            #expect(replayed.status == .accepted)
            let copy = try #require(try GatewayAPITests.json(replayed.body)["task"]?.stringValue)
            #expect(copy != task)
            let snapshot = try #require(try await fixture.gateway.bus.tasks.task(copy))
            #expect(snapshot.fields["type"] == "todos.scrape" && snapshot.fields["source"] == "web:ci")
            let request = try await TaskIndex(redis: fixture.gateway.bus.redis, keys: fixture.environment.keys).request(of: snapshot)
            #expect(request?["payload"]?.contains("todo.example.com/list") == true)
            #expect(try await client.execute(uri: "/v1/tasks/nope/replay", method: .post, headers: browser.headers).status == .notFound)
        }
    }
}
