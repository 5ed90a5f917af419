import AgentBase
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import NIOFoundationEssentialsCompat
import HummingbirdTesting
import SwitchboardTesting
import Testing
@testable import Gateway

/// `POST /webhooks/hooks/{name}` end to end on a real Redis: verification per endpoint, rule matching, the task path,
/// idempotency, and a chat acknowledgement on a fake Telegram.
@Suite(.serialized)
struct WebhookRuleTests {
    // Secret-shaped values are assembled at run time.
    static let jiraSecret = "jira-" + String(repeating: "j", count: 24)
    static let sentrySecret = "sentry-" + String(repeating: "s", count: 24)
    static let ciToken = "ci-" + String(repeating: "c", count: 24)
    static let telegramToken = "123456" + ":" + "fake-bot-token-for-hooks"
    static let repository = "file:///srv/hook-tests/repo.git"

    static let rules = """
    version: 1
    endpoints:
      jira:
        verify: {hmac_sha256: {header: X-Hub-Signature, secret: JIRA_WEBHOOK_SECRET, prefix: "sha256="}}
        rules:
          - name: issue_to_pr
            when:
              - {pointer: /webhookEvent, in: ["jira:issue_created", "jira:issue_updated"]}
              - {pointer: /issue/fields/labels, contains: switchboard}
            workflow:
              name: create_pr
              inputs: {repo_url: "\(repository)", spec: "{{ body.issue.fields.summary }}", title: "{{ body.issue.key }}"}
            idempotency_key: "{{ body.issue.key }}"
      sentry:
        verify: {hmac_sha256: {header: Sentry-Hook-Signature, secret: SENTRY_CLIENT_SECRET}}
        role: viewer
        rules:
          - name: triage
            when: [{header: Sentry-Hook-Resource, equals: event_alert}]
            notify: "Sentry: {{ body.data.event.title }}"
            message: {type: chat.message, payload: {text: "Triage {{ body.data.event.title }}"}}
            chat: "telegram:777"
      ci:
        verify: {token: {header: X-CI-Token, secret: CI_WEBHOOK_TOKEN}}
        rules:
          - name: failure
            when: [{pointer: /status, equals: failed}]
            notify: "CI failed: {{ body.pipeline }}"
            chat: "telegram:777"
          - name: triage
            when: [{pointer: /status, equals: flaky}]
            message: {type: chat.message, payload: {text: "Is {{ body.pipeline }} flaky?"}}
            chat: "telegram:777"
      open:
        rules:
          - name: anything
            notify: "hello"
            chat: "telegram:777"
    """

    private func fixture(_ telegram: FakeTelegram, extra: [String: String] = [:], access: String? = nil) throws -> GatewayAPITests.Fixture {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("webhooks-\(UUID().uuidString).yaml")
        try Self.rules.write(to: file, atomically: true, encoding: .utf8)
        return try GatewayAPITests.Fixture([
            "SB_WEBHOOKS": file.path, "SB_REPO_ALLOW": "file:///srv/hook-tests/",
            "JIRA_WEBHOOK_SECRET": Self.jiraSecret, "SENTRY_CLIENT_SECRET": Self.sentrySecret, "CI_WEBHOOK_TOKEN": Self.ciToken,
            "TELEGRAM_BOT_TOKEN": Self.telegramToken, "TELEGRAM_API_URL": telegram.url, "TELEGRAM_MODE": "webhook",
            "TELEGRAM_WEBHOOK_SECRET": "tg-secret-" + String(repeating: "t", count: 16),
        ].merging(extra) { $1 }, access: access)
    }

    static func hmac(_ body: String, _ secret: String, prefix: String = "") -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Data(body.utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return prefix + code.map { String(format: "%02x", $0) }.joined()
    }

    private func post(_ client: some TestClientProtocol, _ endpoint: String, _ body: String, headers extra: [String: String]) async throws -> (HTTPResponse.Status, JSONValue) {
        var headers: HTTPFields = [.contentType: "application/json"]
        for (name, value) in extra { headers[HTTPField.Name(name)!] = value }
        let response = try await client.execute(uri: "/webhooks/hooks/\(endpoint)", method: .post, headers: headers, body: ByteBuffer(string: body))
        return (response.status, (try? JSONValue(parsing: Data(buffer: response.body))) ?? .null)
    }

    static func jira(_ key: String, event: String = "jira:issue_created", labels: [String] = ["switchboard"], timestamp: Int = 1) -> String {
        let issue: JSONValue = ["key": .string(key), "fields": ["summary": "Add a flag", "labels": .array(labels.map(JSONValue.string))]]
        return JSONValue.object(["timestamp": .number(Double(timestamp)), "webhookEvent": .string(event), "issue": issue]).jsonString
    }

    @Test("Jira: a good signature starts create_pr once per issue key (replays and redeliveries deduplicated); wrong or missing signatures 401; unknown endpoint 404; no verification refused")
    func jiraAndVerification() async throws {
        let telegram = FakeTelegram(token: Self.telegramToken)
        try await telegram.start()
        let fixture = try fixture(telegram)
        try await fixture.gateway.makeApplication().test(.live) { client async throws in
            let body = Self.jira("PROJ-12")
            let signature = Self.hmac(body, Self.jiraSecret, prefix: "sha256=")
            let (status, answer) = try await post(client, "jira", body, headers: ["X-Hub-Signature": signature])
            #expect(status == .accepted)
            #expect(answer["rule"] == "issue_to_pr")
            let task = try #require(answer["task"]?.stringValue)
            // The same delivery again, and a later delivery about the same issue: acted on once.
            #expect(try await post(client, "jira", body, headers: ["X-Hub-Signature": signature]).1["outcome"] == "duplicate, ignored")
            let again = Self.jira("PROJ-12", event: "jira:issue_updated", timestamp: 2)
            #expect(try await post(client, "jira", again, headers: ["X-Hub-Signature": Self.hmac(again, Self.jiraSecret, prefix: "sha256=")]).1["outcome"] == "duplicate, ignored")

            #expect(try await post(client, "jira", body, headers: ["X-Hub-Signature": Self.hmac(body, "wrong-secret", prefix: "sha256=")]).0 == .unauthorized)
            #expect(try await post(client, "jira", body, headers: ["X-Hub-Signature": "sha256=zz"]).0 == .unauthorized)
            #expect(try await post(client, "jira", body, headers: [:]).0 == .unauthorized)
            let (unknown, missing) = try await post(client, "nope", body, headers: ["X-Hub-Signature": signature])
            #expect(unknown == .notFound)
            #expect(missing["error"] == "not_found")
            let (refused, why) = try await post(client, "open", "{}", headers: [:])
            #expect(refused == .unauthorized)
            #expect(why["error"] == "unverified_endpoint")

            // Matches nothing: 2xx, nothing published. Not JSON: 400, nothing published.
            let other = Self.jira("PROJ-13", labels: ["backend"])
            let (ignored, nothing) = try await post(client, "jira", other, headers: ["X-Hub-Signature": Self.hmac(other, Self.jiraSecret, prefix: "sha256=")])
            #expect(ignored == .ok)
            #expect(nothing["outcome"] == "no rule matched")
            let broken = "{not json"
            #expect(try await post(client, "jira", broken, headers: ["X-Hub-Signature": Self.hmac(broken, Self.jiraSecret, prefix: "sha256=")]).0 == .badRequest)

            let entries = try await GitHubWebhookTests.queued(fixture, agent: "orchestrator")
            #expect(entries.count == 1)
            #expect(entries.first?["task"] == task)
            #expect(entries.first?["source"] == "hook:jira")
            let payload = try JSONValue(parsing: entries.first?["payload"] ?? "")
            #expect(payload["workflow"] == "create_pr")
            #expect(payload["inputs"]?["repo_url"]?.stringValue == Self.repository)
            #expect(payload["inputs"]?["title"] == "PROJ-12")
            #expect(try await fixture.gateway.bus.redis.send(["HGET", fixture.environment.keys.origin(task), "requester"]).string == "hook:jira")
        }
        await telegram.stop()
    }

    @Test("a shared token; notify-only rules post to chat; a task with a chat is acknowledged there; an endpoint role too low for its action is refused (403), nothing published")
    func tokensChatAndRoles() async throws {
        let telegram = FakeTelegram(token: Self.telegramToken)
        try await telegram.start()
        let fixture = try fixture(telegram)
        try await fixture.gateway.makeApplication().test(.live) { client async throws in
            let failed = #"{"status":"failed","pipeline":"build"}"#
            #expect(try await post(client, "ci", failed, headers: ["X-CI-Token": "wrong"]).0 == .unauthorized)
            let (status, answer) = try await post(client, "ci", failed, headers: ["X-CI-Token": Self.ciToken])
            #expect(status == .ok)
            #expect(answer["outcome"]?.stringValue?.hasPrefix("notified telegram:777") == true)
            #expect(telegram.messages.contains { $0.chat == "777" && $0.text.contains("CI failed: build") })

            let flaky = #"{"status":"flaky","pipeline":"nightly"}"#
            let (queued, triage) = try await post(client, "ci", flaky, headers: ["X-CI-Token": Self.ciToken])
            #expect(queued == .accepted)
            let task = try #require(triage["task"]?.stringValue)
            #expect(telegram.messages.contains { $0.chat == "777" && $0.text.contains("working on it") })
            #expect(try await fixture.gateway.bus.redis.send(["HEXISTS", fixture.environment.keys.origin(task), "status_message"]).int == 1)

            // sentry's identity is a viewer: chat.message needs write.
            let alert = #"{"action":"triggered","data":{"event":{"title":"ZeroDivisionError"}}}"#
            let (forbidden, reason) = try await post(client, "sentry", alert, headers: ["Sentry-Hook-Signature": Self.hmac(alert, Self.sentrySecret), "Sentry-Hook-Resource": "event_alert"])
            #expect(forbidden == .forbidden)
            #expect(reason["message"]?.stringValue?.contains("hook:sentry is a viewer") == true)
            // Only the flaky pipeline's triage reached the assistant.
            #expect(try await GitHubWebhookTests.queued(fixture, agent: "assistant").count == 1)
        }
        await telegram.stop()
    }

    @Test("Sentry in its documented shape: with access.yaml granting hook:sentry operator, the chat gets the notice as the triage task's acknowledgement; the replay acts once")
    func sentryTriage() async throws {
        let telegram = FakeTelegram(token: Self.telegramToken)
        try await telegram.start()
        let fixture = try fixture(telegram, access: "version: 1\nidentities:\n  \"hook:sentry\": operator\n")
        try await fixture.gateway.makeApplication().test(.live) { client async throws in
            let alert = JSONValue.object([
                "action": "triggered",
                "data": ["event": ["event_id": "9fac2ceed9344f2bbfdd1fdacb0ed9b1", "title": "ZeroDivisionError: division by zero", "exception": ["values": [["stacktrace": ["frames": [
                    ["filename": "app/views.py", "function": "report", "lineno": 40], ["filename": "app/stats.py", "function": "ratio", "lineno": 7],
                ]]]]]], "triggered_rule": "High error rate"],
            ]).jsonString
            let headers = ["Sentry-Hook-Signature": Self.hmac(alert, Self.sentrySecret), "Sentry-Hook-Resource": "event_alert"]
            let (status, answer) = try await post(client, "sentry", alert, headers: headers)
            #expect(status == .accepted)
            #expect(try await post(client, "sentry", alert, headers: headers).1["outcome"] == "duplicate, ignored")
            let task = try #require(answer["task"]?.stringValue)
            // Telegram's MarkdownV2 escapes '-' and '.', so the task id and file names are looked for escaped.
            let escapedTask = task.replacingOccurrences(of: "-", with: "\\-")
            #expect(telegram.messages.contains { $0.chat == "777" && $0.text.contains("Sentry: ZeroDivisionError") && $0.text.contains(escapedTask) })
            let entries = try await GitHubWebhookTests.queued(fixture, agent: "assistant")
            #expect(entries.count == 1)
            #expect(try JSONValue(parsing: entries.first?["payload"] ?? "")["text"]?.stringValue == "Triage ZeroDivisionError: division by zero")
            #expect(entries.first?["source"] == "telegram:777")
        }
        await telegram.stop()
    }
}
