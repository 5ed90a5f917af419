import AgentBase
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SwitchboardTesting
import Testing
@testable import Gateway

/// Admin requests from chat wait for an admin: Telegram inline buttons, Slack Block Kit buttons, the API, and expiry.
@Suite(.serialized)
struct ApprovalTests {
    static let repoURL = "https://github.com/example-org/example-repo"
    static let telegramToken = "123456:" + String(repeating: "T", count: 30)

    private func inbox(_ fixture: GatewayAPITests.Fixture) async throws -> Int {
        try await fixture.gateway.bus.redis.send(["XLEN", fixture.environment.keys.inbox("repo-manager")]).int ?? 0
    }

    @Test("Telegram: an operator's /prune shows Approve/Deny buttons; an operator's press is refused, the admin's press publishes it")
    func telegramCallback() async throws {
        let telegram = FakeTelegram(token: Self.telegramToken)
        try await telegram.start()
        let fixture = try GatewayAPITests.Fixture([
            "TELEGRAM_BOT_TOKEN": Self.telegramToken, "TELEGRAM_API_URL": telegram.url, "TELEGRAM_ALLOWED_USERS": "42,1",
            "GITHUB_ALLOWED_REPOS": "example-org/example-repo",
        ], access: "version: 1\nidentities:\n  \"telegram:1\": admin\n")
        telegram.queue(text: "/prune \(Self.repoURL) main false", from: 42, chat: 500, updateID: 8001)
        try await fixture.gateway.makeApplication().test(.live) { _ async throws in
            try await waitUntil("the prompt with buttons") { telegram.messages.contains { !$0.buttons.isEmpty } }
            let prompt = try #require(telegram.messages.first { !$0.buttons.isEmpty })
            #expect(try await inbox(fixture) == 0)
            let approve = try #require(prompt.buttons.first { $0.hasPrefix("approve:") })
            #expect(prompt.buttons.contains { $0.hasPrefix("deny:") })
            telegram.queuePress(data: approve, from: 42, chat: 500, message: 101, updateID: 8002)
            try await waitUntil("the operator's press answered") { telegram.messages.contains { $0.method == "answerCallbackQuery" && $0.chat == "cbq-8002" } }
            #expect(try await inbox(fixture) == 0)
            telegram.queuePress(data: approve, from: 1, chat: 500, message: 101, updateID: 8003)
            try await waitUntil("published after the admin's press") { try await inbox(fixture) == 1 }
            try await waitUntil("the admin's press answered") { telegram.messages.contains { $0.method == "answerCallbackQuery" && $0.chat == "cbq-8003" } }
        }
        await telegram.stop()
        let answers = telegram.messages.filter { $0.method == "answerCallbackQuery" }
        #expect(answers.first?.text.contains("Only an admin") == true)
        #expect(telegram.messages.contains { $0.method == "sendMessage" && $0.text.contains("Approved by telegram:1") })
        #expect(telegram.messages.contains { $0.method == "editMessageText" })
    }

    @Test("Telegram: an edited message never runs its command again")
    func editedMessageIgnored() async throws {
        let telegram = FakeTelegram(token: Self.telegramToken)
        try await telegram.start()
        let fixture = try GatewayAPITests.Fixture(["TELEGRAM_BOT_TOKEN": Self.telegramToken, "TELEGRAM_API_URL": telegram.url, "TELEGRAM_ALLOWED_USERS": "42"])
        telegram.queueEdit(text: "/sync-todos https://todo.example.com/list", from: 42, chat: 500, updateID: 8101)
        telegram.queue(text: "/help", from: 42, chat: 500, updateID: 8102)
        try await fixture.gateway.makeApplication().test(.live) { _ async throws in
            try await waitUntil("the later message answered") { telegram.messages.contains { $0.text.contains("Commands") } }
        }
        await telegram.stop()
        #expect(try await fixture.gateway.bus.redis.send(["EXISTS", fixture.environment.keys.inbox("scraper")]).int == 0)
    }

    @Test("Telegram: a reply that fails after publishing keeps the once-marker, so a redelivered update is not published twice")
    func markerKeptAfterPublish() async throws {
        let telegram = FakeTelegram(token: Self.telegramToken)
        try await telegram.start()
        let secret = "hook-" + String(repeating: "s", count: 20)
        let fixture = try GatewayAPITests.Fixture([
            "TELEGRAM_BOT_TOKEN": Self.telegramToken, "TELEGRAM_API_URL": telegram.url, "TELEGRAM_ALLOWED_USERS": "42",
            "TELEGRAM_MODE": "webhook", "TELEGRAM_WEBHOOK_SECRET": secret,
        ])
        let update = #"{"update_id": 8201, "message": {"message_id": 1, "from": {"id": 42}, "chat": {"id": 321, "type": "private"}, "text": "/sync-todos https://todo.example.com/list"}}"#
        telegram.refuseNext(1)
        try await fixture.gateway.makeApplication().test(.live) { client async throws in
            let header = HTTPField.Name("X-Telegram-Bot-Api-Secret-Token")!
            for _ in 0..<2 {
                _ = try await client.execute(uri: "/webhooks/telegram", method: .post, headers: [header: secret], body: ByteBuffer(string: update))
            }
        }
        await telegram.stop()
        #expect(try await fixture.gateway.bus.redis.send(["XLEN", fixture.environment.keys.inbox("scraper")]).int == 1)
    }

    @Test("Slack: a forced delete shows buttons; a signed interaction from an admin publishes it, one from a Slack Connect guest does not")
    func slackInteraction() async throws {
        let slack = FakeSlack()
        try await slack.server.start()
        let fixture = try GatewayAPITests.Fixture([
            "SLACK_SIGNING_SECRET": SlackTests.secret, "SLACK_BOT_TOKEN": SlackTests.token, "SLACK_API_URL": slack.apiURL, "SLACK_ALLOWED_TEAMS": "T1",
            "GITHUB_ALLOWED_REPOS": "example-org/example-repo",
        ], access: "version: 1\nidentities:\n  \"slack:T1/UADMIN\": admin\n  \"slack:T9/UADMIN\": viewer\n")
        let mention = SlackTests.mention("/delete-branch \(Self.repoURL) old force", eventID: "EvApprove")
        try await fixture.gateway.makeApplication().test(.live) { client async throws in
            _ = try await client.execute(uri: "/webhooks/slack/events", method: .post, headers: SlackTests.headers(mention), body: ByteBuffer(string: mention))
            try await waitUntil("the prompt with buttons") { slack.calls.contains { !$0.buttons.isEmpty } }
            let prompt = try #require(slack.calls.first { !$0.buttons.isEmpty })
            let id = try #require(prompt.buttons.first { $0.hasPrefix("approve:") }).dropFirst("approve:".count)
            func press(user: String, team: String) async throws -> TestResponse {
                let payload = #"{"type":"block_actions","team":{"id":"T1"},"user":{"id":"\#(user)","team_id":"\#(team)"},"channel":{"id":"C1"},"container":{"message_ts":"\#(prompt.ts ?? "")"},"actions":[{"action_id":"approve","value":"\#(id)","type":"button"}]}"#
                let form = "payload=" + (payload.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
                return try await client.execute(uri: "/webhooks/slack/interactions", method: .post, headers: SlackTests.headers(form, contentType: "application/x-www-form-urlencoded"), body: ByteBuffer(string: form))
            }
            let guest = try await press(user: "UADMIN", team: "T9")
            #expect(String(buffer: guest.body).contains("Only an admin"))
            #expect(try await inbox(fixture) == 0)
            let forged = try await client.execute(uri: "/webhooks/slack/interactions", method: .post, headers: SlackTests.headers("payload=%7B%7D", secret: "other", contentType: "application/x-www-form-urlencoded"), body: ByteBuffer(string: "payload=%7B%7D"))
            #expect(forged.status == .unauthorized)
            let admin = try await press(user: "UADMIN", team: "T1")
            #expect(admin.status == .ok)
            #expect(try await inbox(fixture) == 1)
        }
        await slack.server.stop()
        #expect(slack.calls.contains { $0.method == "chat.postMessage" && $0.text.contains("Approved by slack:T1/UADMIN") })
    }

    @Test("Slack Connect: a user of another workspace in an allowed team's channel is not a member")
    func slackConnectUser() async throws {
        let slack = FakeSlack()
        try await slack.server.start()
        let fixture = try GatewayAPITests.Fixture(["SLACK_SIGNING_SECRET": SlackTests.secret, "SLACK_BOT_TOKEN": SlackTests.token, "SLACK_API_URL": slack.apiURL, "SLACK_ALLOWED_TEAMS": "T1"])
        let event = #"{"type":"event_callback","team_id":"T1","event_id":"EvGuest","event":{"type":"app_mention","user":"UGUEST","user_team":"T9","channel":"C1","ts":"1795000000.000300","text":"<@UBOT> /sync-todos https://todo.example.com/list"}}"#
        try await fixture.gateway.makeApplication().test(.live) { client async throws in
            _ = try await client.execute(uri: "/webhooks/slack/events", method: .post, headers: SlackTests.headers(event), body: ByteBuffer(string: event))
            try await waitUntil("the refusal") { slack.calls.contains { $0.text.contains("does not act for slack:T9/UGUEST") } }
        }
        await slack.server.stop()
        #expect(try await fixture.gateway.bus.redis.send(["EXISTS", fixture.environment.keys.inbox("scraper")]).int == 0)
    }

    @Test("API: list, deny, a second decision is 409, an operator may not decide (403), an expired approval is 410 and runs nothing")
    func apiDecisionsAndExpiry() async throws {
        let admin = "admn-" + String(repeating: "a", count: 16)
        let operatorToken = "oper-" + String(repeating: "o", count: 16)
        let fixture = try GatewayAPITests.Fixture([
            "GATEWAY_API_TOKENS": "root:\(admin),ops:\(operatorToken):operator", "GITHUB_ALLOWED_REPOS": "example-org/example-repo", "SB_APPROVAL_TTL": "1s",
        ])
        let origin = Origin(channel: "slack", chat: "T1/C1", thread: "1.2")
        let chat = fixture.gateway.chat
        @Sendable func ask(_ text: String) async throws -> ChatService.Reply {
            try await chat.handle(InboundMessage(origin: origin, user: "T1/U1", text: text, trusted: true))
        }
        try await fixture.gateway.makeApplication().test(.live) { client async throws in
            let first = try #require(try await ask("/prune \(Self.repoURL) main").approval)
            let listed = try await client.execute(uri: "/v1/approvals", method: .get, headers: APITrustTests.headers(operatorToken))
            #expect(try GatewayAPITests.json(listed.body).arrayValue?.first?["id"]?.stringValue == first.id)
            let deny = ByteBuffer(string: #"{"decision":"deny"}"#)
            #expect(try await client.execute(uri: "/v1/approvals/\(first.id)", method: .post, headers: APITrustTests.headers(operatorToken), body: deny).status == .forbidden)
            let denied = try await client.execute(uri: "/v1/approvals/\(first.id)", method: .post, headers: APITrustTests.headers(admin), body: deny)
            #expect(denied.status == .ok)
            #expect(try GatewayAPITests.json(denied.body)["status"]?.stringValue == "denied")
            let again = try await client.execute(uri: "/v1/approvals/\(first.id)", method: .post, headers: APITrustTests.headers(admin), body: ByteBuffer(string: #"{"decision":"approve"}"#))
            #expect(again.status == .conflict)
            #expect(try await client.execute(uri: "/v1/approvals/nope", method: .post, headers: APITrustTests.headers(admin), body: deny).status == .notFound)
            #expect(try await client.execute(uri: "/v1/approvals/\(first.id)", method: .post, headers: APITrustTests.headers(admin), body: ByteBuffer(string: "{}")).status == .badRequest)
            let second = try #require(try await ask("/prune \(Self.repoURL) main").approval)
            @Sendable func pending() async throws -> [JSONValue]? {
                try GatewayAPITests.json(try await client.execute(uri: "/v1/approvals", method: .get, headers: APITrustTests.headers(admin)).body).arrayValue
            }
            try await waitUntil("the second request expired (SB_APPROVAL_TTL=1s)") { try await pending()?.isEmpty == true }
            #expect(try await pending()?.isEmpty == true)
            let late = try await client.execute(uri: "/v1/approvals/\(second.id)", method: .post, headers: APITrustTests.headers(admin), body: ByteBuffer(string: #"{"decision":"approve"}"#))
            #expect(late.status == .gone)
        }
        #expect(try await inbox(fixture) == 0)
        let events = try await fixture.gateway.bus.redis.send(["XRANGE", fixture.environment.keys.events, "-", "+"])
        let types = (events.array ?? []).compactMap { $0.array?.last?.fieldPairs?.first { $0.0 == "type" }?.1 }
        #expect(types == ["approval.requested", "approval.denied", "approval.requested", "approval.expired"])
    }
}
