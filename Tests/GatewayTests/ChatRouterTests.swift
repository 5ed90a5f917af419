import AgentBase
import Foundation
import SwitchboardTesting
@testable import Gateway
import Testing

/// Chat text to actions, from the registry, the same for every channel.
struct ChatRouterTests {
    static let router: ChatRouter = {
        let root = GatewayAPITests.repository
        let registry = try! AgentRegistry.load(path: root.appendingPathComponent("Registry/agents.yaml").path)
        let schemas = try! SchemaLibrary(directory: root.appendingPathComponent("Registry/schemas"))
        return ChatRouter(registry: registry, schemas: schemas)
    }()

    @Test("commands become messages with typed payloads", arguments: [
        ("/review example-org/example-repo 12", "pr.review", #"{"number":12,"repo":"example-org/example-repo"}"#),
        ("/review https://github.com/example-org/example-repo/pull/7", "pr.review", #"{"number":7,"repo":"example-org/example-repo"}"#),
        ("/describe example-org/example-repo 12", "pr.describe", #"{"number":12,"repo":"example-org/example-repo"}"#),
        ("/improve https://github.com/example-org/example-repo/pull/12", "pr.improve", #"{"number":12,"repo":"example-org/example-repo"}"#),
        ("/review example-org/example-repo 12 post", "pr.review", #"{"number":12,"post":true,"repo":"example-org/example-repo"}"#),
        ("/ask example-org/example-repo 12 does it touch the tests?", "pr.ask", #"{"number":12,"question":"does it touch the tests?","repo":"example-org/example-repo"}"#),
        ("/review@switchboard_bot example-org/example-repo #3", "pr.review", #"{"number":3,"repo":"example-org/example-repo"}"#),
        ("/sync-todos https://todo.example.com/list", "todos.scrape", #"{"url":"https://todo.example.com/list"}"#),
        ("/sync-todos https://todo.example.com/list json", "todos.scrape", #"{"format":"json","url":"https://todo.example.com/list"}"#),
        ("/create-pr example-org/example-repo add a health check endpoint", "workflow.run",
         #"{"inputs":{"repo_url":"https://github.com/example-org/example-repo.git","spec":"add a health check endpoint"},"workflow":"create_pr"}"#),
        ("/apply-spec example-org/example-repo add a health check endpoint", "code.write",
         #"{"base":"main","open_pr":true,"repo_url":"https://github.com/example-org/example-repo.git","spec":"add a health check endpoint"}"#),
        ("/merge https://git.example.com/r.git feature main theirs true", "repo.merge",
         #"{"push":true,"repo_url":"https://git.example.com/r.git","source":"feature","strategy":"theirs","target":"main"}"#),
        ("what does the scraper do?", "chat.message", #"{"text":"what does the scraper do?"}"#),
        ("/run create_pr repo_url=https://git.example.com/r.git spec=Add a --version flag max_iterations=2", "workflow.run",
         #"{"inputs":{"max_iterations":2,"repo_url":"https://git.example.com/r.git","spec":"Add a --version flag"},"workflow":"create_pr"}"#),
        ("/run pr_review", "workflow.run", #"{"inputs":{},"workflow":"pr_review"}"#),
    ])
    func commands(text: String, type: String, payload: String) throws {
        guard case .publish(let routedType, let routedPayload) = Self.router.route(text) else {
            Issue.record("\(text) did not publish: \(Self.router.route(text))")
            return
        }
        #expect(routedType == type)
        #expect(routedPayload == (try JSONValue(parsing: payload)))
    }

    @Test("wrong arguments get the usage line and publish nothing", arguments: [
        ("/review example-org/example-repo", "Usage: /review <owner/repo> <number> | /review <pr-url>"),
        ("/review https://github.com/example-org/example-repo/issues/7", "Usage: /review"),
        ("/sync-todos", "Usage: /sync-todos <url> [markdown|json]"),
        ("/create-pr example-org/example-repo", "Usage: /create-pr <owner/repo> <spec…>"),
        ("/delete-branch https://git.example.com/r.git old maybe", "Usage: /delete-branch"),
        ("/status", "Usage: /status <task>"),
        ("/run", "Usage: /run <workflow> [name=value …]"),
        ("/run create_pr stray", "Usage: /run"),
    ])
    func usage(text: String, expected: String) {
        guard case .reply(let reply) = Self.router.route(text) else {
            Issue.record("\(text) did not answer with usage")
            return
        }
        #expect(reply.hasPrefix(expected))
    }

    @Test("help lists every registry command and the built-ins; unknown commands get it too")
    func help() {
        let help = Self.router.help
        for command in ["/review", "/create-pr", "/sync-todos", "/branches", "/merge", "/rebase", "/prune", "/status", "/cancel", "/agents", "/help"] {
            #expect(help.contains(command), "\(command) missing from help")
        }
        guard case .reply(let unknown) = Self.router.route("/frobnicate now") else { Issue.record("no reply"); return }
        #expect(unknown.hasPrefix("Unknown command /frobnicate."))
        #expect(Self.router.route("/status abc") == .status(task: "abc"))
        #expect(Self.router.route("/cancel abc") == .cancel(task: "abc"))
        #expect(Self.router.route("/agents") == .agents)
    }

    @Test("Telegram MarkdownV2 escaping and splitting long results")
    func telegramText() {
        #expect(TelegramMarkdown.escape("v1.2 (beta)! a_b *c* [x](y) #1 - ok") == ##"v1\.2 \(beta\)\! a\_b \*c\* \[x\]\(y\) \#1 \- ok"##)
        let long = (1...500).map { "line \($0) of a long result" }.joined(separator: "\n")
        let chunks = ResultRenderer.split(long, limit: 4096)
        #expect(chunks.count > 1)
        #expect(chunks.allSatisfy { $0.count <= 4096 })
        #expect(chunks.joined(separator: "\n") == long)
        #expect(ResultRenderer.split(String(repeating: "x", count: 9000), limit: 4096).map(\.count) == [4096, 4096, 808])
    }
}

/// Gateway settings from the environment.
struct GatewayConfigurationTests {
    @Test("tokens, port and rate limits parse; bad values name their variable")
    func parsing() throws {
        let token = "tok-" + String(repeating: "a", count: 16)
        let configuration = try GatewayConfiguration(environment: SwitchboardEnvironment([
            "GATEWAY_PORT": "9090", "GATEWAY_API_TOKENS": "ops:\(token),ci:\(token)b", "GATEWAY_RATE_LIMIT": "10/1h", "GATEWAY_RATE_LIMIT_SLACK": "3/5m",
        ]))
        #expect(configuration.port == 9090)
        #expect(configuration.apiTokens == ["ops": token, "ci": token + "b"])
        #expect(configuration.rateLimit == RateLimit(limit: 10, window: .seconds(3600)))
        #expect(configuration.channelRateLimits["slack"] == RateLimit(limit: 3, window: .seconds(300)))
        for (variable, value) in [("GATEWAY_PORT", "http"), ("GATEWAY_API_TOKENS", "ops:short"), ("GATEWAY_RATE_LIMIT", "many"), ("GATEWAY_RATE_LIMIT_TELEGRAM", "5/never")] {
            #expect {
                _ = try GatewayConfiguration(environment: SwitchboardEnvironment([variable: value]))
            } throws: { error in
                (error as? ConfigurationError)?.variable == variable
            }
        }
    }
}

/// How results read in chat: as their agent says them, or as an outline of their fields.
struct ResultRendererTests {
    private func completed(_ payload: String, text: String? = nil) -> String {
        ResultRenderer.render(TaskEvent(id: "1-0", type: "task.completed", task: "t", agent: "any", payload: payload, text: text))
    }

    @Test("a completed event shows the agent's own text, whatever the result's type")
    func agentsText() {
        #expect(completed(#"{"anything":1}"#, text: "🌿 Branch feature at 0123456.") == "🌿 Branch feature at 0123456.")
    }

    @Test("a result without text is an outline of its fields: scalars, then lists by their first items")
    func outline() {
        let text = completed(#"{"status":"ok","count":3,"empty":null,"ok":true,"items":["a","b"],"nested":{"k":"v"}}"#)
        #expect(text == """
            ✅ Done.
            count: 3
            items: 2 items
            - a
            - b
            nested: {"k":"v"}
            ok: yes
            status: ok
            """)
        let many = completed(#"{"ids":[1,2,3,4,5,6,7,8,9,10,11,12]}"#)
        #expect(many.hasSuffix("- 10\n- … and 2 more"))
        #expect(completed("null") == "✅ Done.")
        #expect(completed(#""plain""#) == "✅ Done.\n\"plain\"")
    }

    @Test("progress, failures and cancellations read the same for every agent")
    func lifecycle() {
        let progress = ResultRenderer.render(TaskEvent(id: "1-0", type: "task.progress", task: "t", agent: "a", payload: #"{"message":"cloning","percent":40}"#))
        let failed = ResultRenderer.render(TaskEvent(id: "1-0", type: "task.failed", task: "t", agent: "a", payload: #"{"error":"x","reason":"no such branch","retryable":false}"#))
        #expect(progress == "⏳ cloning (40%)" && failed == "❌ Failed: no such branch")
    }

    @Test("a pull-request command in a comment on a pull request means that pull request", arguments: [
        ("/review", "/review example-org/example-repo 12 post"),
        ("/improve", "/improve example-org/example-repo 12 post"),
        ("/describe", "/describe example-org/example-repo 12 post"),
        ("/ask does it touch the tests?", "/ask example-org/example-repo 12 does it touch the tests?"),
        ("/review other-org/other 3", "/review other-org/other 3"),
        ("/ask other-org/other 3 why?", "/ask other-org/other 3 why?"),
        ("/status abc", "/status abc"),
    ])
    func onPullRequest(said: String, meant: String) {
        #expect(ChatRouter.onPullRequest(said, repo: "example-org/example-repo", number: 12) == meant)
    }
}
