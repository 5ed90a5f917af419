import AgentBase
import Crypto
import Foundation
import SwitchboardTesting
@testable import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Slack end to end: signed Events API and slash-command requests, a fake Web API, real Redis and a real runner.
@Suite(.serialized)
struct SlackTests {
    static let secret = "slack-signing-" + String(repeating: "z", count: 18)
    static let token = "xo" + "xb-fake-slack-token"

    static func headers(_ body: String, secret: String = secret, age: TimeInterval = 0, contentType: String = "application/json") -> HTTPFields {
        let timestamp = String(Int(Date().timeIntervalSince1970 - age))
        let code = HMAC<SHA256>.authenticationCode(for: Data("v0:\(timestamp):\(body)".utf8), using: SymmetricKey(data: Data(secret.utf8)))
        var fields: HTTPFields = [.contentType: contentType]
        fields[HTTPField.Name("X-Slack-Request-Timestamp")!] = timestamp
        fields[HTTPField.Name("X-Slack-Signature")!] = "v0=" + code.map { String(format: "%02x", $0) }.joined()
        return fields
    }

    static func mention(_ text: String, eventID: String = "Ev1", team: String = "T1", threadTS: String? = "1795000000.000100") -> String {
        let thread = threadTS.map { #","thread_ts":"\#($0)""# } ?? ""
        return #"{"type":"event_callback","team_id":"\#(team)","event_id":"\#(eventID)","event":{"type":"app_mention","user":"U1","channel":"C1","ts":"1795000000.000200"\#(thread),"text":"<@UBOT> \#(text)"}}"#
    }

    private func fixture(_ slack: FakeSlack) throws -> GatewayAPITests.Fixture {
        try GatewayAPITests.Fixture([
            "SLACK_SIGNING_SECRET": Self.secret, "SLACK_BOT_TOKEN": Self.token, "SLACK_API_URL": slack.apiURL, "SLACK_ALLOWED_TEAMS": "T1",
        ])
    }

    @Test("url_verification is answered; bad, missing and replayed (old) signatures are refused")
    func verification() async throws {
        let slack = FakeSlack()
        let fixture = try fixture(slack)
        let challenge = #"{"type":"url_verification","challenge":"abc123"}"#
        try await fixture.gateway.makeApplication().test(.live) { client in
            let good = try await client.execute(uri: "/webhooks/slack/events", method: .post, headers: Self.headers(challenge), body: ByteBuffer(string: challenge))
            #expect(good.status == .ok)
            #expect(String(buffer: good.body) == #"{"challenge":"abc123"}"#)
            let wrong = try await client.execute(uri: "/webhooks/slack/events", method: .post, headers: Self.headers(challenge, secret: "other"), body: ByteBuffer(string: challenge))
            #expect(wrong.status == .unauthorized)
            let old = try await client.execute(uri: "/webhooks/slack/events", method: .post, headers: Self.headers(challenge, age: 600), body: ByteBuffer(string: challenge))
            #expect(old.status == .unauthorized)
            let missing = try await client.execute(uri: "/webhooks/slack/events", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: challenge))
            #expect(missing.status == .unauthorized)
        }
    }

    @Test("a mention in a thread: published once (retries ignored), the result posted into that thread, progress by chat.update")
    func threadEndToEnd() async throws {
        let slack = FakeSlack()
        try await slack.server.start()
        let fixture = try fixture(slack)
        let gate = "\(fixture.environment.keys.prefix):test:gate"
        try await fixture.withScraper(gate: gate) {
            let body = Self.mention("/sync-todos https://todo.example.com/list")
            try await fixture.gateway.makeApplication().test(.live) { client in
                let first = try await client.execute(uri: "/webhooks/slack/events", method: .post, headers: Self.headers(body), body: ByteBuffer(string: body))
                #expect(first.status == .ok)
                var retry = Self.headers(body)
                retry[HTTPField.Name("X-Slack-Retry-Num")!] = "1"
                let again = try await client.execute(uri: "/webhooks/slack/events", method: .post, headers: retry, body: ByteBuffer(string: body))
                #expect(String(buffer: again.body).contains("duplicate"))
                try await waitUntil("the acknowledgement recorded") { try await fixture.acknowledgementRecorded(agent: "scraper") }
                try await fixture.gateway.bus.redis.send(["SET", gate, "1"])
                try await waitUntil("the result in the thread") { slack.calls.contains { $0.text.contains("write tests") } }
            }
        }
        await slack.server.stop()
        let calls = slack.calls
        #expect(calls.first?.method == "chat.postMessage")
        #expect(calls.first?.text.hasPrefix("Working on it") == true)
        #expect(calls.allSatisfy { $0.channel == "C1" })
        #expect(calls.filter { $0.method == "chat.postMessage" }.allSatisfy { $0.threadTS == "1795000000.000100" })
        #expect(calls.contains { $0.method == "chat.update" && $0.text.contains("fetching") })
        #expect(calls.contains { $0.method == "chat.postMessage" && $0.text.contains("write tests") })
        let entries = try await fixture.gateway.bus.redis.send(["XRANGE", fixture.environment.keys.inbox("scraper"), "-", "+"])
        #expect(entries.array?.count == 1)
        let source = entries.array?.first?.array?.last?.fieldPairs?.first { $0.0 == "source" }?.1
        #expect(source == "slack:T1/C1/1795000000.000100")
    }

    @Test("events wait in the chat inbox: a full inbox answers 503 and lets go of the event, so Slack's retry is taken once there is room")
    func fullInbox() async throws {
        let slack = FakeSlack()
        let fixture = try fixture(slack)
        let gateway = fixture.gateway
        let inbox = ChatInbox(chat: gateway.chat, capacity: 1, logger: quietLogger)
        let front = SlackFront(configuration: gateway.slackConfiguration, chat: gateway.chat, channel: gateway.slack.channel, seen: gateway.slack.seen, inbox: inbox, logger: quietLogger)
        #expect(try await front.accept(eventCallback: try JSONValue(parsing: Self.mention("hello", eventID: "EvFull1"))) == "accepted")
        let busy = await #expect(throws: APIError.self) { try await front.accept(eventCallback: try JSONValue(parsing: Self.mention("again", eventID: "EvFull2"))) }
        #expect(busy?.status == .serviceUnavailable)
        // The refused event was not marked as seen: its retry is taken once the inbox has room.
        let roomy = SlackFront(configuration: gateway.slackConfiguration, chat: gateway.chat, channel: gateway.slack.channel, seen: gateway.slack.seen, inbox: ChatInbox(chat: gateway.chat, logger: quietLogger), logger: quietLogger)
        #expect(try await roomy.accept(eventCallback: try JSONValue(parsing: Self.mention("again", eventID: "EvFull2"))) == "accepted")
    }

    @Test("a team outside SLACK_ALLOWED_TEAMS is ignored; a slash command is answered at once and published")
    func teamsAndSlashCommands() async throws {
        let slack = FakeSlack()
        let fixture = try fixture(slack)
        let foreign = Self.mention("/sync-todos https://todo.example.com/list", eventID: "Ev9", team: "T9")
        let command = "team_id=T1&channel_id=C7&user_id=U1&command=%2Fsync-todos&text=https%3A%2F%2Ftodo.example.com%2Flist"
        try await fixture.gateway.makeApplication().test(.live) { client in
            let ignored = try await client.execute(uri: "/webhooks/slack/events", method: .post, headers: Self.headers(foreign), body: ByteBuffer(string: foreign))
            #expect(String(buffer: ignored.body).contains("team not allowed"))
            let answered = try await client.execute(
                uri: "/webhooks/slack/commands", method: .post,
                headers: Self.headers(command, contentType: "application/x-www-form-urlencoded"), body: ByteBuffer(string: command)
            )
            #expect(answered.status == .ok)
            #expect(String(buffer: answered.body).contains("Working on it"))
        }
        let entries = try await fixture.gateway.bus.redis.send(["XRANGE", fixture.environment.keys.inbox("scraper"), "-", "+"])
        #expect(entries.array?.count == 1)
    }

    @Test("Socket Mode: envelopes over a WebSocket are acknowledged, events handled like the Events API, slash commands answered in the ack")
    func socketMode() async throws {
        let event = Self.mention("/sync-todos https://todo.example.com/list", eventID: "EvSocket")
        let command = #"{"team_id":"T1","channel_id":"C2","user_id":"U1","command":"/status","text":"nope"}"#
        let slack = FakeSlack(envelopes: [
            #"{"envelope_id":"env-1","type":"events_api","accepts_response_payload":false,"payload":\#(event)}"#,
            #"{"envelope_id":"env-2","type":"slash_commands","accepts_response_payload":true,"payload":\#(command)}"#,
        ])
        try await slack.startSocketMode()
        let fixture = try GatewayAPITests.Fixture([
            "SLACK_SIGNING_SECRET": Self.secret, "SLACK_BOT_TOKEN": Self.token, "SLACK_API_URL": slack.apiURL, "SLACK_ALLOWED_TEAMS": "T1",
            "SLACK_APP_TOKEN": "xa" + "pp-fake-app-token",
        ])
        try await fixture.withScraper {
            try await fixture.gateway.makeApplication().test(.live) { _ in
                try await waitUntil("the result and both acks") { slack.calls.contains { $0.text.contains("write tests") } && slack.acks.count >= 2 }
            }
        }
        await slack.server.stop()
        let acks = try slack.acks.map { try JSONValue(parsing: $0) }
        #expect(acks.compactMap { $0["envelope_id"]?.stringValue } == ["env-1", "env-2"])
        #expect(acks.last?["payload"]?["text"]?.stringValue == "No task nope.")
        #expect(slack.calls.contains { $0.method == "chat.postMessage" && $0.threadTS == "1795000000.000100" && $0.text.contains("write tests") })
    }
}
