import AgentBase
import CodeWriter
import Foundation
@testable import Gateway
import Hummingbird
import HummingbirdTesting
import LLMProviders
import Synchronization
import SwitchboardTesting
import Testing

/// Coding sessions end to end: the gateway's Telegram front against its local Bot API stand-in, code-writer in the
/// same process on the same Redis and prefix, a bare remote on disk, and the local Anthropic stand-in for the model.
@Suite(.serialized)
struct SessionTests {
    /// A gateway polling a fake Telegram, and code-writer (with `model`) working on a fresh repository.
    final class World: Sendable {
        let telegram: FakeTelegram
        let git: GitFixture
        let fixture: GatewayAPITests.Fixture
        let workspace: URL
        private let writerEnvironment: SwitchboardEnvironment
        private let model: any LanguageModel
        private let running: Mutex<RunningService>
        private let updates = Mutex(0)

        /// The code-writer running now.
        var writer: RunningService { running.withLock { $0 } }

        init(model: any LanguageModel, access: String? = nil, extra: [String: String] = [:]) async throws {
            telegram = FakeTelegram(token: TelegramTests.token)
            try await telegram.start()
            git = try await GitFixture.make()
            fixture = try GatewayAPITests.Fixture([
                "TELEGRAM_BOT_TOKEN": TelegramTests.token, "TELEGRAM_API_URL": telegram.url, "TELEGRAM_ALLOWED_USERS": "42,7",
                "TELEGRAM_MODE": "polling", "SB_REPO_ALLOW": GitFixture.allowedPrefix,
            ].merging(extra) { $1 }, access: access)
            workspace = FileManager.default.temporaryDirectory.appendingPathComponent("sb-ws-\(UUID().uuidString.prefix(8))", isDirectory: true)
            let environment = SwitchboardEnvironment([
                "REDIS_URL": try SharedRedis.url(), "SB_PREFIX": fixture.environment.keys.prefix, "SB_REGISTRY": fixture.environment.registryPath,
                "SB_CONSUMER": "cw1", "WORKSPACE_DIR": workspace.path, "GIT_TIMEOUT": "60s", "GIT_AUTHOR_NAME": "Repo Bot",
                "GIT_AUTHOR_EMAIL": "bot@example.com", "SB_REPO_ALLOW": GitFixture.allowedPrefix,
            ])
            writerEnvironment = environment
            self.model = model
            running = Mutex(RunningService(try CodeWriterService.application(environment: environment, model: model, logger: quietLogger).runner))
        }

        /// Stops code-writer (as a deploy does: SIGTERM, drain) and starts a new one on the same workspace and Redis.
        func restartWriter() async throws {
            await writer.shutdown()
            let next = RunningService(try CodeWriterService.application(environment: writerEnvironment, model: model, logger: quietLogger).runner)
            running.withLock { $0 = next }
        }

        /// Sends `text` from user 42 (an operator) in `chat` through the Bot API stand-in; with `expecting`, waits until a
        /// message to the chat contains it.
        func say(_ text: String, in chat: Int, expecting: String? = nil) async throws {
            telegram.queue(text: text, from: 42, chat: chat, updateID: updates.withLock { $0 += 1; return $0 })
            if let expecting { try await waitFor(expecting, in: chat) }
        }

        /// Sends a document from user 42 in `chat` (with `caption` as its text); `declaredSize` overrides the size Telegram reports.
        func send(document bytes: [UInt8], name: String, mimeType: String, caption: String?, in chat: Int, declaredSize: Int? = nil) {
            telegram.queueDocument(bytes, name: name, mimeType: mimeType, caption: caption, from: 42, chat: chat, updateID: updates.withLock { $0 += 1; return $0 }, declaredSize: declaredSize)
        }

        /// What the chat shows (MarkdownV2 escapes removed) of each `sendMessage` to `chat`.
        func sent(to chat: Int) -> [String] {
            telegram.messages.filter { $0.method == "sendMessage" && $0.chat == String(chat) }.map { TelegramTests.shown($0.text) }
        }

        /// Waits until a message to `chat` contains `text`.
        func waitFor(_ text: String, in chat: Int, timeout: Duration = .seconds(60)) async throws {
            try await eventually("'\(text)' in chat \(chat): \(sent(to: chat))", timeout: timeout) { sent(to: chat).contains { $0.contains(text) } }
        }

        func entries(of agent: String) async throws -> [[String: String]] {
            let reply = try await fixture.gateway.bus.redis.send(["XRANGE", fixture.environment.keys.inbox(agent), "-", "+"])
            return (reply.array ?? []).map { Dictionary($0.array?.last?.fieldPairs ?? [], uniquingKeysWith: { _, last in last }) }
        }

        func stop() async {
            await writer.shutdown()
            await telegram.stop()
            git.remove()
            try? FileManager.default.removeItem(at: workspace)
        }
    }

    /// An answer of the model that writes `content` to `path`.
    static func writes(_ path: String, _ content: String) -> FakeModelAPI.Answer {
        .anthropicMessage([FakeModelAPI.toolUse("toolu_\(UUID().uuidString.prefix(8))", "write_file", ["path": .string(path), "content": .string(content)])], stop: "tool_use")
    }

    /// Runs `body` in a new world, then stops it.
    func withWorld(model: any LanguageModel, access: String? = nil, extra: [String: String] = [:], _ body: (World) async throws -> Void) async throws {
        let world = try await World(model: model, access: access, extra: extra)
        try await withTeardown { try await body(world) } teardown: { await world.stop() }
    }

    /// Runs `body` in a new world whose code-writer asks the Anthropic stand-in, which gives `answers` in order.
    func withScriptedWorld(_ answers: [FakeModelAPI.Answer], extra: [String: String] = [:], _ body: (World, FakeModelAPI) async throws -> Void) async throws {
        let api = try await FakeModelAPI.started()
        for answer in answers { api.script(answer) }
        let model = AnthropicModel(baseURL: api.url, apiKey: "sk-ant-" + String(repeating: "t", count: 16), model: "claude-test", settings: HTTPModelSettings(maxRetries: 0, streaming: false))
        try await withTeardown { try await withWorld(model: model, extra: extra) { world in try await body(world, api) } } teardown: { await api.stop() }
    }

    @Test("bind, then two turns (the second sent while the first runs): one branch with two commits, two replies in order; /session and /end")
    func bindAndTwoTurns() async throws {
        // The first answer takes a while, so the second message arrives during the first turn.
        try await withScriptedWorld([
            .delayed(.seconds(2), Self.writes("notes.txt", "first\n")),
            .anthropicText("Added notes.txt."),
            Self.writes("notes.txt", "first\nsecond\n"),
            .anthropicText("Appended a line."),
        ]) { world, api in
            try await world.git.commit(on: "main", ["AGENTS.md": "Keep notes short.\n", ".switchboard.yml": "instructions: Sign every note.\nreview:\n  disable: []\n"], "add agent instructions")
            try await world.fixture.gateway.makeApplication().test(.live) { _ in
                try await world.say("/session \(world.git.url)", in: 777, expecting: "Coding session started")
                // Measured, not asserted (to within the 20-25 ms polls of the stand-in and the test): the chat message to
                // the model's first request, the Bot API's long poll included.
                let written = ContinuousClock.now
                try await world.say("Write the first note.", in: 777)
                try await eventually("the first model request") { !api.received.isEmpty }
                print("session turn: chat message → model's first request: \(ContinuousClock.now - written)")
                try await world.waitFor("Working on it", in: 777)
                try await world.say("Add a second line.", in: 777, expecting: "Queued, 1 ahead")
                try await world.waitFor("Added notes.txt.", in: 777)
                // Measured, not asserted: the queued turn's last model answer to its reply in the chat (commit and push included).
                try await eventually("the last model request") { api.received.count == 4 }
                let lastAnswer = ContinuousClock.now
                try await world.waitFor("Appended a line.", in: 777)
                print("session turn: model's last answer → reply in chat: \(ContinuousClock.now - lastAnswer)")
                try await world.say("/session", in: 777, expecting: "2 turns so far")
                try await world.say("/end", in: 777, expecting: "Coding session ended")
                try await world.say("What can you do?", in: 777)
                try await eventually("plain chat reaches the assistant again") { try await world.entries(of: "assistant").count == 1 }
            }
            let sent = world.sent(to: 777)
            let first = try #require(sent.firstIndex { $0.contains("Added notes.txt.") })
            let second = try #require(sent.firstIndex { $0.contains("Appended a line.") })
            #expect(first < second)
            let branch = SessionBranch.name(conversation: "telegram:777")
            #expect(sent[first].contains("Commit ") && sent[first].contains("notes.txt (+1 −0)"))
            #expect(sent[second].contains("notes.txt (+1 −0)") && sent[second].contains(branch))
            #expect(Array(try await world.git.log(branch).prefix(3)) == ["Add a second line.", "Write the first note.", "add agent instructions"])
            #expect(try await world.git.file("notes.txt", at: branch) == "first\nsecond\n")
            let message = try await GitFixture.run(["log", "-1", "--format=%B", "refs/heads/\(branch)"], in: world.git.remote)
            #expect(message.contains("Co-authored-by: telegram:42 <telegram-42@switchboard.invalid>"))
            // The second turn saw the first, and both saw the repository's instructions.
            let requests = api.received
            #expect(requests[2].body["messages"]?.jsonString.contains("Write the first note.") == true)
            // ...and the conversation's recent messages (the first turn's reply among them).
            #expect(requests[2].body["messages"]?.jsonString.contains("Recent messages of this conversation") == true)
            #expect(requests[0].body["system"]?.jsonString.contains("Keep notes short.") == true)
            #expect(requests[0].body["system"]?.jsonString.contains("Sign every note.") == true)
            let turns = try await world.entries(of: CodeWriterService.name)
            #expect(turns.map { $0["type"] } == [SessionTurnRequest.type, SessionTurnRequest.type])
            #expect(turns.allSatisfy { $0["conversation"] == "telegram:777" })
        }
    }

    @Test("/diff shows the branch against its base; /undo reverts the last turn and pushes, a second /undo finds nothing left")
    func diffAndUndo() async throws {
        try await withScriptedWorld([
            Self.writes("notes.txt", "first\n"),
            .anthropicText("Added notes.txt."),
        ]) { world, api in
            try await world.fixture.gateway.makeApplication().test(.live) { _ in
                try await world.say("/diff", in: 880, expecting: "no coding session")
                try await world.say("/session \(world.git.url)", in: 880, expecting: "Coding session started")
                try await world.say("/diff", in: 880, expecting: "does not exist")
                try await world.say("Write the first note.", in: 880, expecting: "Added notes.txt.")
                try await world.say("/diff", in: 880, expecting: "+first")
                try await world.say("/undo", in: 880, expecting: "Undid")
                try await world.say("/undo", in: 880, expecting: "Nothing to undo")
            }
            let branch = SessionBranch.name(conversation: "telegram:880")
            #expect(world.sent(to: 880).contains { $0.contains("against main: 1 file changed, +1 −0") && $0.contains("- notes.txt (+1 −0)") })
            #expect(Array(try await world.git.log(branch).prefix(2)) == ["Revert \"Write the first note.\"", "Write the first note."])
            #expect(try await world.git.branches() == ["main", branch])
            await #expect(throws: (any Error).self) { try await world.git.file("notes.txt", at: branch) }
        }
    }

    @Test("/stop cancels the running turn: nothing of it is committed, and the next turn runs on the branch")
    func stop() async throws {
        try await withScriptedWorld([
            .delayed(.seconds(10), .anthropicText("Too late.")),
            Self.writes("kept.txt", "kept\n"),
            .anthropicText("Wrote kept.txt."),
        ]) { world, api in
            try await world.fixture.gateway.makeApplication().test(.live) { _ in
                try await world.say("/stop", in: 890, expecting: "no coding session")
                try await world.say("/session \(world.git.url)", in: 890, expecting: "Coding session started")
                try await world.say("/stop", in: 890, expecting: "No turn is running")
                try await world.say("Think for a long time.", in: 890)
                try await eventually("the first model request") { !api.received.isEmpty }
                try await world.say("/stop", in: 890, expecting: "Cancelling")
                try await world.waitFor("Cancelled.", in: 890)
                let started = ContinuousClock.now
                try await world.say("Write kept.txt.", in: 890, expecting: "Wrote kept.txt.")
                print("session turn after /stop: message → reply: \(ContinuousClock.now - started)")
            }
            let branch = SessionBranch.name(conversation: "telegram:890")
            #expect(try await world.git.log(branch).first == "Write kept.txt.")
            #expect(try await world.git.log(branch).count == 2)
        }
    }

    @Test("a session and its queue survive restarts of the gateway and of code-writer: the turn queued before them runs after the one running")
    func restart() async throws {
        try await withScriptedWorld([
            .delayed(.seconds(2), Self.writes("a.txt", "a\n")),
            .anthropicText("Wrote a."),
            Self.writes("b.txt", "b\n"),
            .anthropicText("Wrote b."),
        ]) { world, api in
            let branch = SessionBranch.name(conversation: "telegram:910")
            try await world.fixture.gateway.makeApplication().test(.live) { _ in
                try await world.say("/session \(world.git.url)", in: 910, expecting: "Coding session started")
                try await world.say("Write a.", in: 910)
                try await eventually("the first model request") { !api.received.isEmpty }
                try await world.say("Write b.", in: 910, expecting: "Queued, 1 ahead")
            }
            // No gateway runs while code-writer finishes the first turn; then code-writer restarts too.
            try await eventually("the first turn pushed") { try await world.git.head(branch) != nil }
            try await world.restartWriter()
            try await world.fixture.gateway.makeApplication().test(.live) { _ in
                try await world.waitFor("Wrote b.", in: 910)
            }
            #expect(Array(try await world.git.log(branch).prefix(2)) == ["Write b.", "Write a."])
            #expect(world.sent(to: 910).contains { $0.contains("Wrote a.") })
        }
    }

    @Test("in a Slack thread: bind, a turn, the reply in that thread, the commit on the thread's branch")
    func slackThread() async throws {
        let slack = FakeSlack()
        try await slack.server.start()
        let extra = ["SLACK_SIGNING_SECRET": SlackTests.secret, "SLACK_BOT_TOKEN": SlackTests.token, "SLACK_API_URL": slack.apiURL, "SLACK_ALLOWED_TEAMS": "T1"]
        try await withTeardown {
            try await withScriptedWorld([Self.writes("s.txt", "s\n"), .anthropicText("Wrote s.txt.")], extra: extra) { world, _ in
                try await world.fixture.gateway.makeApplication().test(.live) { client in
                    for (id, text, answer) in [("Ev1", "/session \(world.git.url)", "Coding session started"), ("Ev2", "Write s.txt.", "Wrote s.txt.")] {
                        let body = SlackTests.mention(text, eventID: id)
                        _ = try await client.execute(uri: "/webhooks/slack/events", method: .post, headers: SlackTests.headers(body), body: ByteBuffer(string: body))
                        try await eventually("'\(answer)' in the thread") { slack.calls.contains { $0.text.contains(answer) } }
                    }
                }
                let conversation = try #require(try await world.entries(of: CodeWriterService.name).first?["conversation"])
                #expect(conversation.hasPrefix("slack:T1/C1"))
                #expect(try await world.git.log(SessionBranch.name(conversation: conversation)).first == "Write s.txt.")
                #expect(slack.calls.filter { $0.method == "chat.postMessage" }.allSatisfy { $0.threadTS == "1795000000.000100" })
            }
        } teardown: {
            await slack.server.stop()
        }
    }

    @Test("in a GitHub issue: @switchboard /session binds the issue, a mention is a turn, the reply is a comment on the issue")
    func githubIssue() async throws {
        let github = FakeGitHub()
        try await github.server.start()
        let extra = ["GITHUB_WEBHOOK_SECRET": GitHubWebhookTests.secret, "GITHUB_TOKEN": GitHubWebhookTests.token, "GITHUB_API_URL": github.url, "GITHUB_ALLOWED_REPOS": "example-org/example-repo"]
        try await withTeardown {
            try await withScriptedWorld([Self.writes("g.txt", "g\n"), .anthropicText("Wrote g.txt.")], extra: extra) { world, _ in
                try await world.fixture.gateway.makeApplication().test(.live) { client in
                    for (text, answer) in [("@switchboard /session \(world.git.url)", "Coding session started"), ("@switchboard Write g.txt.", "Wrote g.txt.")] {
                        let body = GitHubWebhookTests.comment(text, number: 31)
                        let response = try await client.execute(uri: "/webhooks/github", method: .post, headers: GitHubWebhookTests.headers(body, event: "issue_comment"), body: ByteBuffer(string: body))
                        #expect(response.status == .ok)
                        try await eventually("'\(answer)' on the issue") { github.comments.contains { $0.body.contains(answer) } }
                    }
                }
                let conversation = "github:example-org/example-repo#31"
                #expect(try await world.entries(of: CodeWriterService.name).first?["conversation"] == conversation)
                #expect(try await world.git.log(SessionBranch.name(conversation: conversation)).first == "Write g.txt.")
                #expect(github.comments.filter { $0.method == "POST" }.allSatisfy { $0.path == "/repos/example-org/example-repo/issues/31/comments" })
                let message = try await GitFixture.run(["log", "-1", "--format=%B", "refs/heads/\(SessionBranch.name(conversation: conversation))"], in: world.git.remote)
                #expect(message.contains("Co-authored-by: github:octo"))
            }
        } teardown: {
            await github.server.stop()
        }
    }

    @Test("/verbose 2 shows every step of a turn in its status message; /verbose 0 only the reply; the level reaches the turn")
    func verbosity() async throws {
        try await withScriptedWorld([
            Self.writes("a.txt", "a\n"), Self.writes("b.txt", "b\n"), .anthropicText("Wrote both."),
            Self.writes("c.txt", "c\n"), .anthropicText("Wrote c."),
        ]) { world, _ in
            @Sendable func edits() -> [String] {
                world.telegram.messages.filter { $0.method == "editMessageText" && $0.chat == "920" }.map { TelegramTests.shown($0.text) }
            }
            try await world.fixture.gateway.makeApplication().test(.live) { _ in
                try await world.say("/verbose 2", in: 920, expecting: "no coding session")
                try await world.say("/session \(world.git.url)", in: 920, expecting: "Coding session started")
                try await world.say("/verbose 3", in: 920, expecting: "Usage: /verbose 0|1|2")
                try await world.say("/verbose 2", in: 920, expecting: "Verbosity 2")
                try await world.say("Write a and b.", in: 920, expecting: "Wrote both.")
                try await eventually("an edit showing both steps") { edits().contains { $0.contains("write_file a.txt") && $0.contains("write_file b.txt") } }
                try await world.say("/verbose 0", in: 920, expecting: "Verbosity 0")
                let before = edits().count
                try await world.say("Write c.", in: 920, expecting: "Wrote c.")
                #expect(edits().count == before)
            }
            let turns = try await world.entries(of: CodeWriterService.name)
            #expect(turns.compactMap { $0["payload"].flatMap { try? JSONValue(parsing: $0) }?["verbosity"]?.intValue } == [2, 0])
        }
    }

    @Test("without a model a bound conversation answers plainly what turns need; an unbound conversation still reaches the assistant")
    func offline() async throws {
        try await withWorld(model: OfflineModel()) { world in
            try await world.fixture.gateway.makeApplication().test(.live) { _ in
                try await world.say("/session \(world.git.url)", in: 501, expecting: "Coding session started")
                try await world.say("Fix the typo in the README.", in: 501, expecting: "Coding turns need a model")
                try await world.say("Hello there", in: 502)
                try await eventually("the unbound chat reaches the assistant") { try await world.entries(of: "assistant").count == 1 }
            }
            #expect(world.sent(to: 501).contains { $0.contains("LLM_PROVIDER") })
            #expect(try await world.entries(of: "assistant").first?["conversation"] == "telegram:502")
            #expect(try await world.entries(of: CodeWriterService.name).count == 1)
            #expect(try await world.git.branches() == ["main"])
        }
    }

    @Test("a viewer may neither bind nor send turns, a repository outside the allow-list is refused, turns have their own rate limit, the binding expires when idle")
    func refusals() async throws {
        let access = """
        version: 1
        defaults:
          telegram: operator
        identities:
          "telegram:7": viewer
        """
        try await withWorld(model: OfflineModel(), access: access, extra: ["GATEWAY_RATE_LIMIT_SESSION": "1/1h", "SESSION_IDLE_TTL": "2h"]) { world in
            let chat = world.fixture.gateway.chat
            func say(_ text: String, as user: String) async throws -> String {
                try await chat.handle(InboundMessage(origin: Origin(channel: "telegram", chat: "600"), user: user, text: text, trusted: true)).text
            }
            #expect(try await say("/session \(world.git.url)", as: "7").contains("needs write permission"))
            #expect(try await say("/session /srv/elsewhere/repo.git", as: "42").hasPrefix("Refused:"))
            #expect(try await say("/session \(world.git.url)", as: "42").contains("Coding session started"))
            #expect(try await say("/session \(world.git.url)", as: "42").contains("already"))
            #expect(try await say("Delete everything.", as: "7").contains("needs write permission"))
            #expect(try await world.entries(of: CodeWriterService.name).isEmpty)
            #expect(try await say("Add a test.", as: "42").hasPrefix("Working on it"))
            #expect(try await say("And another.", as: "42").contains("limit of 1 session turns"))
            let ttl = try await world.fixture.gateway.bus.redis.send(["PTTL", world.fixture.environment.keys.session("telegram:600")]).int ?? 0
            #expect(ttl > 3_500_000 && ttl <= 7_200_000)
            #expect(try await say("/end", as: "7").contains("needs write permission"))
            #expect(try await say("/end", as: "42").contains("Coding session ended"))
            #expect(try await world.fixture.gateway.bus.redis.send(["EXISTS", world.fixture.environment.keys.session("telegram:600")]).int == 0)
        }
    }
}
