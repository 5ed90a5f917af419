import AgentBase
import Foundation
import SwitchboardTesting
@testable import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Bodies with a valid signature that are not what GitHub or Slack send (not JSON, or JSON of the wrong shape): a 400
/// with a JSON error, nothing published, and the gateway goes on serving.
@Suite(.serialized)
struct SignedMalformedBodyTests {
    /// Posts `body` signed to `uri`, expects a 400 JSON error, nothing published, and a good request answered after it.
    private func refused(_ uri: String, _ body: String, headers: HTTPFields, fixture: GatewayAPITests.Fixture, healthy: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await fixture.gateway.makeApplication().test(.live) { client in
            let response = try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
            #expect(response.status == .badRequest)
            let error = try GatewayAPITests.json(response.body)
            #expect(error["error"]?.stringValue == "bad_request")
            #expect(error["message"]?.stringValue?.isEmpty == false)
            try await healthy(client)
        }
        for agent in fixture.gateway.registry.agents.map(\.name) {
            #expect(try await fixture.gateway.bus.redis.send(["EXISTS", fixture.environment.keys.inbox(agent)]).int == 0, "published to \(agent)")
        }
    }

    @Test("Slack: a signed body that is not a Slack request is a 400", arguments: [
        ("/webhooks/slack/events", "this is not JSON", "application/json"),
        ("/webhooks/slack/events", "[1,2,3]", "application/json"),
        ("/webhooks/slack/events", #"{"type":"event_callback","team_id":"T1"}"#, "application/json"),
        ("/webhooks/slack/events", #"{"type":"event_callback","team_id":"T1","event_id":"EvBad","event":"/sync-todos https://todo.example.com/list"}"#, "application/json"),
        ("/webhooks/slack/commands", "\u{1}\u{2}garbage", "application/x-www-form-urlencoded"),
        ("/webhooks/slack/commands", "team_id=T1&text=%2Fsync-todos", "application/x-www-form-urlencoded"),
        ("/webhooks/slack/interactions", "payload=not-json", "application/x-www-form-urlencoded"),
    ])
    func slack(uri: String, body: String, contentType: String) async throws {
        let fixture = try GatewayAPITests.Fixture(["SLACK_SIGNING_SECRET": SlackTests.secret, "SLACK_ALLOWED_TEAMS": "T1"])
        try await refused(uri, body, headers: SlackTests.headers(body, contentType: contentType), fixture: fixture) { client in
            let challenge = #"{"type":"url_verification","challenge":"still-here"}"#
            let answer = try await client.execute(uri: "/webhooks/slack/events", method: .post, headers: SlackTests.headers(challenge), body: ByteBuffer(string: challenge))
            #expect(String(buffer: answer.body) == #"{"challenge":"still-here"}"#)
        }
    }

    @Test("GitHub: a signed delivery that is not what GitHub sends is a 400", arguments: [
        ("pull_request", "this is not JSON"),
        ("pull_request", "[1,2,3]"),
        ("pull_request", #"{"action":"opened","repository":{"full_name":"example-org/example-repo"}}"#),
        ("pull_request", #"{"action":"opened","number":12,"pull_request":{"number":12}}"#),
        ("issue_comment", #"{"action":"created","issue":{"number":5},"repository":{"full_name":"example-org/example-repo"}}"#),
    ])
    func github(event: String, body: String) async throws {
        let fixture = try GatewayAPITests.Fixture([
            "GITHUB_WEBHOOK_SECRET": GitHubWebhookTests.secret, "GITHUB_ALLOWED_REPOS": "example-org/example-repo",
        ])
        try await refused("/webhooks/github", body, headers: GitHubWebhookTests.headers(body, event: event), fixture: fixture) { client in
            let ping = #"{"zen":"Keep it logically awesome.","hook_id":1}"#
            let answer = try await client.execute(uri: "/webhooks/github", method: .post, headers: GitHubWebhookTests.headers(ping, event: "ping"), body: ByteBuffer(string: ping))
            #expect(answer.status == .ok)
        }
    }
}
