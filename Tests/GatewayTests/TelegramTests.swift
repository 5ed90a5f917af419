import AgentBase
import Foundation
import SwitchboardTesting
@testable import Gateway
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import Testing

/// Telegram end to end: a fake Bot API on loopback, the real gateway, real Redis and a real runner.
@Suite(.serialized)
struct TelegramTests {
    // Token-shaped values are assembled at run time.
    static let token = "123456" + ":" + "fake-bot-token-for-tests"
    static let secret = "tg-secret-" + String(repeating: "s", count: 16)

    private func fixture(_ telegram: FakeTelegram, mode: String = "polling", extra: [String: String] = [:]) throws -> GatewayAPITests.Fixture {
        try GatewayAPITests.Fixture([
            "TELEGRAM_BOT_TOKEN": Self.token, "TELEGRAM_API_URL": telegram.url, "TELEGRAM_ALLOWED_USERS": "42,7",
            "TELEGRAM_MODE": mode, "TELEGRAM_WEBHOOK_SECRET": Self.secret,
        ].merging(extra) { $1 })
    }

    @Test("polling end to end: an update in, a message published, task.completed, the reply in the right chat; the offset persists")
    func pollingEndToEnd() async throws {
        let telegram = FakeTelegram(token: Self.token)
        try await telegram.start()
        let fixture = try fixture(telegram)
        // Progress is held back until the acknowledgement has been sent, so there is a message to edit.
        let gate = "\(fixture.environment.keys.prefix):test:gate"
        try await fixture.withScraper(gate: gate) {
            telegram.queue(text: "/sync-todos https://todo.example.com/list", from: 42, chat: 777, updateID: 5001, thread: 9)
            try await fixture.gateway.makeApplication().test(.live) { _ in
                try await waitUntil("the acknowledgement recorded") { try await fixture.acknowledgementRecorded(agent: "scraper") }
                try await fixture.gateway.bus.redis.send(["SET", gate, "1"])
                try await waitUntil("the result reaches chat 777") {
                    telegram.messages.contains { $0.method == "sendMessage" && $0.chat == "777" && $0.text.contains("write tests") }
                }
            }
        }
        await telegram.stop()
        let messages = telegram.messages
        #expect(messages.first?.text.contains("Working on it") == true)
        #expect(messages.allSatisfy { $0.chat == "777" && ($0.method == "editMessageText" || $0.thread == 9) })
        #expect(messages.contains { $0.method == "editMessageText" && $0.text.contains("fetching") })
        #expect(try await fixture.gateway.bus.redis.send(["GET", "\(fixture.environment.keys.prefix):telegram:offset"]).string == "5002")
        let published = try await fixture.gateway.bus.redis.send(["XRANGE", fixture.environment.keys.inbox("scraper"), "-", "+"])
        #expect(published.array?.count == 1)
        let conversation = try await ConversationStore(storage: GatewayStorage(bus: fixture.gateway.bus)).recent("telegram:777:9")
        #expect(conversation.map { $0["role"]?.stringValue } == ["user", "assistant"])
    }

    @Test("a user outside TELEGRAM_ALLOWED_USERS gets a polite refusal and nothing is published")
    func allowList() async throws {
        let telegram = FakeTelegram(token: Self.token)
        try await telegram.start()
        let fixture = try fixture(telegram)
        telegram.queue(text: "/sync-todos https://todo.example.com/list", from: 99, chat: 555, updateID: 6001)
        try await fixture.gateway.makeApplication().test(.live) { _ in
            try await waitUntil("refusal sent") { telegram.messages.contains { $0.chat == "555" } }
        }
        await telegram.stop()
        #expect(telegram.messages.first?.text.contains("99") == true)
        #expect(telegram.messages.first?.text.contains("TELEGRAM\\_ALLOWED\\_USERS") == true)
        #expect(try await fixture.gateway.bus.redis.send(["EXISTS", fixture.environment.keys.inbox("scraper")]).int == 0)
    }

    @Test("webhook: good secret accepted, bad or missing refused with 401, a repeated update_id published once")
    func webhook() async throws {
        let telegram = FakeTelegram(token: Self.token)
        try await telegram.start()
        let fixture = try fixture(telegram, mode: "webhook")
        let update = #"{"update_id": 7001, "message": {"message_id": 1, "from": {"id": 7}, "chat": {"id": 321, "type": "private"}, "text": "/sync-todos https://todo.example.com/list"}}"#
        try await fixture.gateway.makeApplication().test(.live) { client in
            let header = HTTPField.Name("X-Telegram-Bot-Api-Secret-Token")!
            let missing = try await client.execute(uri: "/webhooks/telegram", method: .post, body: ByteBuffer(string: update))
            #expect(missing.status == .unauthorized)
            let wrong = try await client.execute(uri: "/webhooks/telegram", method: .post, headers: [header: "wrong"], body: ByteBuffer(string: update))
            #expect(wrong.status == .unauthorized)
            for _ in 0..<2 {
                let good = try await client.execute(uri: "/webhooks/telegram", method: .post, headers: [header: Self.secret], body: ByteBuffer(string: update))
                #expect(good.status == .ok)
            }
            let bad = try await client.execute(uri: "/webhooks/telegram", method: .post, headers: [header: Self.secret], body: ByteBuffer(string: "{}"))
            #expect(bad.status == .badRequest)
        }
        await telegram.stop()
        #expect(try await fixture.gateway.bus.redis.send(["XLEN", fixture.environment.keys.inbox("scraper")]).int == 1)
        #expect(telegram.messages.filter { $0.chat == "321" }.count == 1)
    }

    @Test("webhook mode refuses to start without TELEGRAM_WEBHOOK_SECRET")
    func webhookNeedsSecret() throws {
        #expect(throws: ConfigurationError.self) {
            _ = try TelegramConfiguration(environment: SwitchboardEnvironment(["TELEGRAM_BOT_TOKEN": Self.token, "TELEGRAM_MODE": "webhook"]))
        }
    }

    @Test("a chat API answering 429 is retried after retry_after, then the message is delivered")
    func tooManyRequests() async throws {
        let telegram = FakeTelegram(token: Self.token)
        try await telegram.start()
        let fixture = try fixture(telegram)
        let origin = Origin(channel: "telegram", chat: "888")
        telegram.refuseNext(1)
        let task = try await fixture.withScraper {
            try await fixture.gateway.makeApplication().test(.live) { _ in
                try await waitUntil("result delivery has joined the events stream") {
                    // The events stream may not exist until the delivery service creates its group.
                    let groups = try? await fixture.gateway.bus.redis.send(["XINFO", "GROUPS", fixture.environment.keys.events])
                    return !(groups?.array ?? []).isEmpty
                }
                let reply = try await fixture.gateway.chat.handle(InboundMessage(origin: origin, user: "42", text: "/sync-todos https://todo.example.com/list", trusted: true))
                try await waitUntil("delivered after the 429") { telegram.messages.contains { $0.chat == "888" && $0.text.contains("write tests") } }
                return reply.task
            }
        }
        await telegram.stop()
        #expect(try await fixture.gateway.bus.tasks.task(try #require(task))?.status == .completed)
    }

    /// The gateway's chat service with its rate limits from the environment, on a clock the test moves.
    private func limitedChat(_ clock: ManualWallClock) throws -> ChatService {
        let fixture = try fixture(FakeTelegram(token: Self.token), extra: ["GATEWAY_RATE_LIMIT_TELEGRAM": "2/1h", "GATEWAY_RATE_LIMIT": "50/1h"])
        let gateway = fixture.gateway
        return ChatService(
            router: gateway.chat.router, bus: gateway.bus, access: gateway.access, repositories: gateway.chat.repositories, rateLimit: gateway.configuration.rateLimit,
            channelRateLimits: gateway.configuration.channelRateLimits, clock: clock.now, logger: quietLogger
        )
    }

    private static func sync(_ user: String, _ chat: ChatService) async throws -> String {
        try await chat.handle(InboundMessage(origin: Origin(channel: "telegram", chat: "1"), user: user, text: "/sync-todos https://todo.example.com/x", trusted: true)).text
    }

    @Test("the per-user rate limit refuses a task over the limit with when to try again; another user is not counted")
    func rateLimit() async throws {
        let clock = ManualWallClock(window: .seconds(3600))
        let chat = try limitedChat(clock)
        var replies: [String] = []
        for _ in 0..<3 { replies.append(try await Self.sync("42", chat)) }
        #expect(replies[0].hasPrefix("Working on it"))
        #expect(replies[1].hasPrefix("Working on it"))
        #expect(replies[2].contains("limit of 2 tasks"))
        #expect(replies[2].contains("Try again in"))
        #expect(try await Self.sync("7", chat).hasPrefix("Working on it"))
    }

    @Test("the per-user rate limit resets in the next window")
    func rateLimitResets() async throws {
        let clock = ManualWallClock(window: .seconds(3600))
        let chat = try limitedChat(clock)
        for _ in 0..<2 { #expect(try await Self.sync("42", chat).hasPrefix("Working on it")) }
        #expect(try await Self.sync("42", chat).contains("limit of 2 tasks"))
        clock.advance(by: .seconds(3600))
        #expect(try await Self.sync("42", chat).hasPrefix("Working on it"))
    }

    /// Sends `text` through the Telegram channel to a fake Bot API; returns the texts of the `sendMessage` calls.
    private static func sentThroughChannel(_ text: String) async throws -> [String] {
        let telegram = FakeTelegram(token: token)
        try await telegram.start()
        let channel = TelegramChannel(client: TelegramClient(configuration: TelegramConfiguration(token: token, apiURL: telegram.url)))
        do {
            try await channel.send(text, to: Origin(channel: "telegram", chat: "4242"))
        } catch {
            await telegram.stop()
            throw error
        }
        await telegram.stop()
        return telegram.messages.filter { $0.method == "sendMessage" && $0.chat == "4242" }.map(\.text)
    }

    /// MarkdownV2 text as it shows: each backslash escape replaced by the character it escapes.
    private static func shown(_ text: String) -> String {
        var out = ""
        var escaped = false
        for character in text {
            if character == "\\" && !escaped {
                escaped = true
                continue
            }
            escaped = false
            out.append(character)
        }
        return out
    }

    @Test("a long result of many lines full of MarkdownV2 special characters: every message at most 4,096 characters after escaping, together the whole")
    func longResultOfLines() async throws {
        let line = "- [x] fix_bug(#12): a*b=c. (see [docs](https://x.example/y-z?q=1)) {ok}! ~~ `code` | >quote + more."
        let text = (1...400).map { "\($0). \(line)" }.joined(separator: "\n")
        let sent = try await Self.sentThroughChannel(text)
        #expect(sent.count > 1)
        #expect(sent.allSatisfy { $0.utf16.count <= 4096 }, "lengths: \(sent.map(\.utf16.count))")
        #expect(sent.map(Self.shown).joined(separator: "\n") == text)
    }

    @Test("one long line of nothing but MarkdownV2 special characters: every message at most 4,096 characters after escaping, together the whole")
    func longResultOfOneLine() async throws {
        let text = String(repeating: "._*[]()~`>#+-=|{}!", count: 600)
        let sent = try await Self.sentThroughChannel(text)
        #expect(sent.count > 1)
        #expect(sent.allSatisfy { $0.utf16.count <= 4096 }, "lengths: \(sent.map(\.utf16.count))")
        #expect(sent.map(Self.shown).joined() == text)
    }

    @Test("plain chat is chat.message with the conversation's earlier messages as context")
    func chatContext() async throws {
        let telegram = FakeTelegram(token: Self.token)
        let fixture = try fixture(telegram)
        let origin = Origin(channel: "telegram", chat: "3", thread: "11")
        _ = try await fixture.gateway.chat.handle(InboundMessage(origin: origin, user: "42", text: "hello there", trusted: true))
        _ = try await fixture.gateway.chat.handle(InboundMessage(origin: origin, user: "42", text: "and again", trusted: true))
        let entries = try await fixture.gateway.bus.redis.send(["XRANGE", fixture.environment.keys.inbox("assistant"), "-", "+"]).array ?? []
        #expect(entries.count == 2)
        let payload = entries.last?.array?.last?.fieldPairs?.first { $0.0 == "payload" }?.1 ?? ""
        let request = try JSONDecoder().decode(ChatMessageRequest.self, from: Data(payload.utf8))
        #expect(request.text == "and again")
        #expect(request.context?.map(\.text) == ["hello there"])
        #expect(request.context?.first?.role == "user")
    }
}

/// Result delivery survives a gateway replica that dies holding events.
@Suite(.serialized)
struct ResultDeliveryTakeoverTests {
    @Test("an event read by a replica that died is taken over after the idle time and delivered to its chat")
    func takeover() async throws {
        let telegram = FakeTelegram(token: TelegramTests.token)
        try await telegram.start()
        let bus = try TestBus()
        let channel = TelegramChannel(client: TelegramClient(configuration: TelegramConfiguration(token: TelegramTests.token, apiURL: telegram.url)))
        try await OriginStore(storage: GatewayStorage(bus: bus.broker)).record(Origin(channel: "telegram", chat: "555"), task: "t-orphan", statusMessage: nil, requester: nil)
        let events = bus.keys.events
        try await bus.broker.groups.ensureGroup(stream: events, group: "gateway", startingAt: "$")
        _ = try await bus.broker.redis.send(["XADD", events, "*", "type", "task.failed", "task", "t-orphan", "agent", "scraper", "source", "telegram:555", "payload", #"{"error":"x","reason":"the page is gone","retryable":false}"#])
        // The replica that dies: it reads the event and never acknowledges it.
        _ = try await bus.broker.groups.read(stream: events, group: "gateway", consumer: "gone", count: 10, block: .milliseconds(100), history: false, after: "0")

        let delivery = ResultDelivery(bus: bus.broker, channels: [channel], consumer: "survivor", reclaimIdle: .milliseconds(300), logger: quietLogger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await delivery.run() }
            try await waitUntil("the orphaned result reaches chat 555") { telegram.messages.contains { $0.chat == "555" && $0.text.contains("the page is gone") } }
            group.cancelAll()
        }
        await telegram.stop()
        let pending = try await bus.broker.redis.send(["XPENDING", events, "gateway"])
        #expect(pending.array?.first?.int == 0)
    }
}
