import AgentBase
import Foundation
import SwitchboardTesting
import Testing
@testable import Gateway

/// The one submission path of the REST API and the chats: a task id that exists already is reported, never published
/// again, and nothing of the existing task (its origin, the conversation) is written; a new chat task gets both.
@Suite(.serialized)
struct SubmissionTests {
    static let payload: JSONValue = ["url": "https://todo.example.com/list"]

    private func existingTask(_ fixture: GatewayAPITests.Fixture, _ task: String) async throws {
        let envelope = Envelope(type: TodosScrapeRequest.type, payload: Self.payload.jsonString, source: "api:other")
        guard case .queued = try await fixture.gateway.bus.queue.submit(envelope, task: task, agent: "scraper", stream: fixture.environment.keys.inbox("scraper")) else {
            throw TestFailure("task \(task) existed before the test")
        }
    }

    private func scraper(_ fixture: GatewayAPITests.Fixture) throws -> AgentEntry {
        try #require(fixture.gateway.registry.agent(named: "scraper"))
    }

    private func inbox(_ fixture: GatewayAPITests.Fixture) async throws -> Int {
        try await fixture.gateway.bus.redis.send(["XLEN", fixture.environment.keys.inbox("scraper")]).int ?? 0
    }

    @Test("chat: publishing under a task id that exists says so, publishes nothing and leaves the task's origin and the conversation alone")
    func chatExistingTask() async throws {
        let fixture = try GatewayAPITests.Fixture()
        try await existingTask(fixture, "t-taken")
        let origin = Origin(channel: "telegram", chat: "900")
        let reply = try await fixture.gateway.chat.publish(
            type: TodosScrapeRequest.type, to: try scraper(fixture), payload: Self.payload, origin: origin,
            text: "/sync-todos https://todo.example.com/list", requester: "telegram:900", task: "t-taken", awaitingAck: true
        )
        #expect(reply.text == "Task t-taken exists already.")
        #expect(reply.task == nil)
        #expect(try await inbox(fixture) == 1)
        let redis = fixture.gateway.bus.redis
        #expect(try await redis.send(["EXISTS", fixture.environment.keys.origin("t-taken")]).int == 0)
        #expect(try await redis.send(["EXISTS", fixture.environment.keys.conversation(origin.conversation)]).int == 0)
        #expect(try await fixture.gateway.chat.origins.lookup("t-taken") == nil)
    }

    @Test("chat: a new task is published with its origin, requester and the message in the conversation")
    func chatNewTask() async throws {
        let fixture = try GatewayAPITests.Fixture()
        let origin = Origin(channel: "telegram", chat: "901")
        let reply = try await fixture.gateway.chat.publish(
            type: TodosScrapeRequest.type, to: try scraper(fixture), payload: Self.payload, origin: origin,
            text: "/sync-todos https://todo.example.com/list", requester: "telegram:901", task: "t-new", awaitingAck: true
        )
        #expect(reply.task == "t-new")
        #expect(try await inbox(fixture) == 1)
        let recorded = try #require(try await fixture.gateway.chat.origins.lookup("t-new"))
        #expect(recorded.origin == origin)
        #expect(recorded.ackPending)
        let requester = try await fixture.gateway.bus.redis.send(["HGET", fixture.environment.keys.origin("t-new"), "requester"]).string
        #expect(requester == "telegram:901")
        let conversation = try await fixture.gateway.chat.conversations.recent(origin.conversation)
        #expect(conversation.first?["text"]?.stringValue == "/sync-todos https://todo.example.com/list")
    }

    @Test("API: the submission under a task id that exists publishes nothing and frees the idempotency key it claimed")
    func apiExistingTask() async throws {
        let fixture = try GatewayAPITests.Fixture()
        try await existingTask(fixture, "t-collides")
        let envelope = Envelope(type: TodosScrapeRequest.type, payload: Self.payload.jsonString, source: "api:test", idempotencyKey: "test:k-1")
        let outcome = try await fixture.gateway.chat.submitter.submit(envelope, task: "t-collides", to: try scraper(fixture))
        #expect(outcome == .exists(.queued))
        #expect(try await inbox(fixture) == 1)
        let key = fixture.environment.keys.idempotency("gateway", "test:k-1")
        #expect(try await fixture.gateway.bus.redis.send(["EXISTS", key]).int == 0)
    }

    @Test("API and chat: a held idempotency key answers with its task, whichever ingress sends it")
    func duplicateKey() async throws {
        let fixture = try GatewayAPITests.Fixture()
        let agent = try scraper(fixture)
        let envelope = Envelope(type: TodosScrapeRequest.type, payload: Self.payload.jsonString, source: "api:test", idempotencyKey: "test:k-2")
        #expect(try await fixture.gateway.chat.submitter.submit(envelope, task: "t-first", to: agent) == .queued)
        #expect(try await fixture.gateway.chat.submitter.submit(envelope, task: "t-second", to: agent) == .duplicate(of: "t-first"))
        #expect(try await inbox(fixture) == 1)
    }

    @Test("chat: an approved request whose task id was taken meanwhile publishes nothing and leaves that task's origin alone")
    func approvalOfExistingTask() async throws {
        let fixture = try GatewayAPITests.Fixture(["GITHUB_ALLOWED_REPOS": "example-org/example-repo"])
        let origin = Origin(channel: "slack", chat: "T1/C1", thread: "1.2")
        let chat = fixture.gateway.chat
        let asked = try await chat.handle(InboundMessage(origin: origin, user: "T1/U1", text: "/prune https://github.com/example-org/example-repo main", trusted: true))
        let approval = try #require(asked.approval)
        let stream = fixture.environment.keys.inbox(approval.agent)
        let envelope = Envelope(type: approval.type, payload: approval.payload, source: "api:other")
        guard case .queued = try await fixture.gateway.bus.queue.submit(envelope, task: approval.task, agent: approval.agent, stream: stream) else {
            throw TestFailure("task \(approval.task) existed before the test")
        }
        let (_, text) = try await chat.decide(approval.id, approve: true, by: Requester(identity: "api:root", role: .admin))
        #expect(text.contains("Task \(approval.task) exists already."))
        let redis = fixture.gateway.bus.redis
        #expect(try await redis.send(["XLEN", stream]).int == 1)
        #expect(try await redis.send(["EXISTS", fixture.environment.keys.origin(approval.task)]).int == 0)
    }
}
