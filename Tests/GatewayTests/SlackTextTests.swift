import AgentBase
import Foundation
import SwitchboardTesting
@testable import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Slack's text markup both ways, against the fake Web API in the shapes Slack sends: links, users and channels typed
/// in Slack are unwrapped before commands are parsed; what the gateway sends is escaped so Slack shows it as written.
@Suite(.serialized)
struct SlackTextTests {
    static let list = "https://todo.example.com/list?a=1&b=2"

    private func fixture(_ slack: FakeSlack) throws -> GatewayAPITests.Fixture {
        try GatewayAPITests.Fixture([
            "SLACK_SIGNING_SECRET": SlackTests.secret, "SLACK_BOT_TOKEN": SlackTests.token, "SLACK_API_URL": slack.apiURL, "SLACK_ALLOWED_TEAMS": "T1",
        ])
    }

    /// The JSON payload of the one request published to `agent`.
    private func published(_ fixture: GatewayAPITests.Fixture, agent: String) async throws -> JSONValue {
        let queued = try await GitHubWebhookTests.queued(fixture, agent: agent)
        #expect(queued.count == 1)
        return try JSONValue(parsing: try #require(queued.first?.fields?.first { $0.0 == "payload" }?.1))
    }

    @Test("what Slack puts in text is unwrapped to what was typed", arguments: [
        ("<https://todo.example.com/list>", "https://todo.example.com/list"),
        ("<https://todo.example.com/list?a=1&amp;b=2|todo.example.com/list>", list),
        ("ask <@U2ABC|ann> in <#C9XYZ|general>", "ask @ann in #general"),
        ("<@U2ABC> and <#C9XYZ>", "@U2ABC and #C9XYZ"),
        ("<!here> <!subteam^S1|@team> &lt;owner/repo&gt; &amp;lt;", "@here @team <owner/repo> &lt;"),
        ("<mailto:ann@example.com|ann@example.com>", "ann@example.com"),
        ("a < b", "a < b"),
    ])
    func unwrapped(slack: String, typed: String) {
        #expect(SlackText.plain(slack) == typed)
    }

    @Test("outgoing text has &, < and > escaped as entities")
    func escaped() {
        #expect(SlackText.escaped("/review <owner/repo> <n> & more") == "/review &lt;owner/repo&gt; &lt;n&gt; &amp; more")
        #expect(SlackText.plain(SlackText.escaped("a <b> & &amp; c")) == "a <b> & &amp; c")
    }

    /// Posts a signed Events API `body` to a gateway wired to a fake Slack and waits until `done` holds; returns both.
    private func event(_ body: String, until what: String, _ done: @escaping @Sendable (FakeSlack, GatewayAPITests.Fixture) async throws -> Bool) async throws -> (FakeSlack, GatewayAPITests.Fixture) {
        let slack = FakeSlack()
        try await slack.server.start()
        let fixture = try fixture(slack)
        try await fixture.gateway.makeApplication().test(.live) { client in
            let response = try await client.execute(uri: "/webhooks/slack/events", method: .post, headers: SlackTests.headers(body), body: ByteBuffer(string: body))
            #expect(response.status == .ok)
            try await waitUntil(what) { try await done(slack, fixture) }
        }
        await slack.server.stop()
        return (slack, fixture)
    }

    @Test("an app_mention with a link as Slack wraps it publishes the address, not the markup")
    func mentionWithLink() async throws {
        let body = SlackTests.mention("/sync-todos <https://todo.example.com/list?a=1&amp;b=2|todo.example.com/list>", eventID: "EvLink")
        let (_, fixture) = try await event(body, until: "acknowledged") { slack, _ in slack.calls.contains { $0.text.hasPrefix("Working on it") } }
        #expect(try await published(fixture, agent: "scraper")["url"]?.stringValue == Self.list)
    }

    @Test("a direct message naming a user and a channel reaches the assistant as the person wrote it")
    func directMessageWithMentions() async throws {
        let body = #"{"type":"event_callback","team_id":"T1","api_app_id":"A1","event_id":"EvDM","event_time":1795000000,"event":{"type":"message","channel":"D1","user":"U1","text":"ask <@U2ABC|ann> about <#C9XYZ|general> &amp; the &lt;list&gt;","ts":"1795000000.000300","event_ts":"1795000000.000300","channel_type":"im"}}"#
        let (_, fixture) = try await event(body, until: "published") { _, fixture in try await GitHubWebhookTests.queued(fixture, agent: "assistant").count == 1 }
        #expect(try await published(fixture, agent: "assistant")["text"]?.stringValue == "ask @ann about #general & the <list>")
    }

    @Test("a slash command whose text Slack escaped publishes the address as typed")
    func slashCommandWithEscapes() async throws {
        let fixture = try fixture(FakeSlack())
        let text = "<https://todo.example.com/list?a=1&amp;b=2>".addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        let command = "token=unused&team_id=T1&team_domain=example&channel_id=C7&channel_name=general&user_id=U1&user_name=ann&command=%2Fsync-todos&text=\(text)&api_app_id=A1&response_url=https%3A%2F%2Fhooks.slack.invalid%2F1&trigger_id=1.2.3"
        try await fixture.gateway.makeApplication().test(.live) { client in
            let answered = try await client.execute(
                uri: "/webhooks/slack/commands", method: .post,
                headers: SlackTests.headers(command, contentType: "application/x-www-form-urlencoded"), body: ByteBuffer(string: command)
            )
            #expect(answered.status == .ok)
            #expect(String(buffer: answered.body).contains("Working on it"))
        }
        #expect(try await published(fixture, agent: "scraper")["url"]?.stringValue == Self.list)
    }

    @Test("help asked by mention is posted with <owner/repo> escaped, so Slack shows it literally")
    func helpByMentionIsEscaped() async throws {
        let (slack, _) = try await event(SlackTests.mention("/help", eventID: "EvHelp"), until: "the help posted") { slack, _ in
            slack.calls.contains { $0.method == "chat.postMessage" }
        }
        let help = try #require(slack.calls.first { $0.method == "chat.postMessage" }?.text)
        #expect(help.contains("/review &lt;owner/repo&gt; &lt;number&gt;"))
        #expect(!help.contains("<"))
    }

    @Test("help asked by slash command is answered with <owner/repo> escaped")
    func helpBySlashCommandIsEscaped() async throws {
        let fixture = try fixture(FakeSlack())
        let command = "team_id=T1&channel_id=C7&user_id=U1&command=%2Fhelp&text="
        try await fixture.gateway.makeApplication().test(.live) { client in
            let answered = try await client.execute(
                uri: "/webhooks/slack/commands", method: .post,
                headers: SlackTests.headers(command, contentType: "application/x-www-form-urlencoded"), body: ByteBuffer(string: command)
            )
            let text = try GatewayAPITests.json(answered.body)["text"]?.stringValue ?? ""
            #expect(text.contains("/review &lt;owner/repo&gt; &lt;number&gt;"))
            #expect(!text.contains("<"))
        }
    }

    @Test("chat.postMessage, chat.update and an approval's section carry escaped text")
    func channelEscapes() async throws {
        let slack = FakeSlack()
        try await slack.server.start()
        let channel = SlackChannel(configuration: SlackConfiguration(botToken: SlackTests.token, apiURL: slack.apiURL))
        let origin = Origin(channel: "slack", chat: "T1/C1", thread: "1795000000.000100")
        let sent = try await channel.send("Usage: /branch <repo> <name> & go", to: origin)
        try await channel.update(try #require(sent), with: "⏳ 3 < 4 & 5 > 2", at: origin)
        _ = try await channel.requestApproval("Delete <branch> & prune?", approval: "ap1", to: origin)
        await slack.server.stop()
        let calls = slack.calls
        #expect(calls.map(\.text) == ["Usage: /branch &lt;repo&gt; &lt;name&gt; &amp; go", "⏳ 3 &lt; 4 &amp; 5 &gt; 2", "Delete &lt;branch&gt; &amp; prune?"])
        #expect(calls.last?.sections == ["Delete &lt;branch&gt; &amp; prune?"])
        #expect(calls.last?.buttons == ["approve:ap1", "deny:ap1"])
    }
}
