import AgentBase
import Foundation
import SwitchboardTesting
@testable import Gateway
import Testing

/// Slack Socket Mode against a stand-in that behaves like Slack, connection by connection: the redial policy alone,
/// then servers that close without `hello`, close together with the upgrade response, and send `disconnect`.
@Suite(.serialized)
struct SlackSocketModeTests {
    static let appToken = "xa" + "pp-fake-app-token"

    static func envelope(_ id: String, type: String, payload: String) -> String {
        #"{"envelope_id":"\#(id)","type":"\#(type)","accepts_response_payload":\#(type == "slash_commands"),"retry_attempt":0,"retry_reason":"","payload":\#(payload)}"#
    }

    static let statusCommand = envelope(
        "env-status", type: "slash_commands",
        payload: #"{"token":"unused","team_id":"T1","team_domain":"example","channel_id":"C2","channel_name":"general","user_id":"U1","user_name":"ann","command":"/status","text":"nope","api_app_id":"A1","response_url":"https://hooks.slack.invalid/commands/1","trigger_id":"1.2.3"}"#
    )

    /// Runs Socket Mode, wired to a gateway's Slack front, against the fake while `body` runs; then stops both.
    private func running(_ slack: FakeSlack, helloTimeout: Duration = .seconds(10), _ body: (GatewayAPITests.Fixture) async throws -> Void) async throws {
        try await slack.startSocketMode()
        do {
            let fixture = try GatewayAPITests.Fixture([
                "SLACK_SIGNING_SECRET": SlackTests.secret, "SLACK_BOT_TOKEN": SlackTests.token, "SLACK_API_URL": slack.apiURL,
                "SLACK_ALLOWED_TEAMS": "T1", "SLACK_APP_TOKEN": Self.appToken,
            ])
            let socketMode = SlackSocketMode(configuration: fixture.gateway.slackConfiguration, front: fixture.gateway.slack, helloTimeout: helloTimeout, logger: quietLogger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await socketMode.run() }
                group.addTask { await fixture.gateway.inbox.run() }
                try await body(fixture)
                group.cancelAll()
            }
        } catch {
            try await slack.stop()
            throw error
        }
        try await slack.stop()
    }

    @Test("redial policy: without hello every end doubles the pause up to the maximum, a disconnect before hello too")
    func redialWithoutHello() {
        var redial = SocketModeRedial(initial: .milliseconds(500), maximum: .seconds(4))
        let pauses = (0..<6).map { index in
            redial.pause(after: SocketModeRedial.Outcome(helloReceived: false, disconnectReason: index == 2 ? "refresh_requested" : nil))
        }
        #expect(pauses == [.milliseconds(500), .seconds(1), .seconds(2), .seconds(4), .seconds(4), .seconds(4)])
    }

    @Test("redial policy: a connection with hello starts the pauses over; hello then disconnect dials again at once")
    func redialAfterHello() {
        var redial = SocketModeRedial(initial: .milliseconds(500), maximum: .seconds(30))
        for _ in 0..<4 { _ = redial.pause(after: SocketModeRedial.Outcome()) }
        #expect(redial.pause(after: SocketModeRedial.Outcome(helloReceived: true)) == .milliseconds(500))
        #expect(redial.pause(after: SocketModeRedial.Outcome(helloReceived: true, disconnectReason: "refresh_requested")) == .zero)
        #expect(redial.pause(after: SocketModeRedial.Outcome()) == .milliseconds(500))
        #expect(redial.pause(after: SocketModeRedial.Outcome()) == .seconds(1))
    }

    @Test("a server that accepts and closes without hello is dialled again only after growing pauses: at most 5 dials in 3 s")
    func closesWithoutHello() async throws {
        let slack = FakeSlack(connections: [.closeWithoutHello])
        var dials = 0
        try await running(slack) { _ in
            try await waitUntil("the first dial") { slack.dials >= 1 }
            // The window the dials are counted over, from the first dial on: a count, not a timing.
            try await Task.sleep(for: .seconds(3))
            dials = slack.dials
        }
        // Pauses of 500 ms, 1 s, 2 s: 3 dials in the window. Resetting the backoff on every return made 116 here.
        #expect(dials >= 2)
        #expect(dials <= 5, "\(dials) dials in 3 s")
    }

    @Test("a close that arrives with the upgrade response ends that connection; the next one's envelopes are handled")
    func closeWithUpgrade() async throws {
        let slack = FakeSlack(envelopes: [Self.statusCommand], connections: [.closeWithUpgrade, .hello])
        try await running(slack, helloTimeout: .milliseconds(500)) { _ in
            try await waitUntil("the command acknowledged on the second connection") { !slack.acks.isEmpty }
        }
        #expect(slack.dials == 2)
        let ack = try JSONValue(parsing: try #require(slack.acks.first))
        #expect(ack["envelope_id"]?.stringValue == "env-status")
        #expect(ack["payload"]?["text"]?.stringValue == "No task nope.")
    }

    @Test("disconnect: Socket Mode dials again and handles the events of the new connection")
    func disconnect() async throws {
        let event = SlackTests.mention("/sync-todos <https://todo.example.com/list|todo.example.com/list>", eventID: "EvAfterDisconnect")
        let slack = FakeSlack(envelopes: [Self.envelope("env-event", type: "events_api", payload: event)], connections: [.helloThenDisconnect, .hello])
        try await running(slack) { fixture in
            try await waitUntil("the event acknowledged and answered") {
                !slack.acks.isEmpty && slack.calls.contains { $0.method == "chat.postMessage" && $0.text.hasPrefix("Working on it") }
            }
            let queued = try await GitHubWebhookTests.queued(fixture, agent: "scraper")
            #expect(queued.count == 1)
            let payload = try JSONValue(parsing: try #require(queued.first?.fields?.first { $0.0 == "payload" }?.1))
            #expect(payload["url"]?.stringValue == "https://todo.example.com/list")
        }
        #expect(slack.dials == 2)
        #expect(slack.acks.compactMap { try? JSONValue(parsing: $0)["envelope_id"]?.stringValue } == ["env-event"])
    }
}
