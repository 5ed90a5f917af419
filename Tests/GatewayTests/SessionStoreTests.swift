import AgentBase
import Foundation
@testable import Gateway
import SwitchboardTesting
import Testing

/// The session store's scripts on a real Redis: binding once, turns started or queued in order, the queue advanced
/// only by the end of the running turn.
struct SessionStoreTests {

    static func turn(_ task: String) -> QueuedTurn {
        QueuedTurn(task: task, text: "text of \(task)", requester: "telegram:42", source: "telegram:1")
    }

    @Test("a conversation binds once; turns run one at a time in the order they came; only the running turn's end moves the queue")
    func queue() async throws {
        let bus = try TestBus()
        defer { bus.broker.close() }
        let store = SessionStore(storage: GatewayStorage(bus: bus.broker), idleTTL: .seconds(3600))
        #expect(try await store.admit(Self.turn("t0"), in: "telegram:1") == .unbound)
        #expect(try await store.bind("telegram:1", repoURL: "/srv/repos/a.git", base: "main", by: "telegram:42").created)
        let again = try await store.bind("telegram:1", repoURL: "/srv/repos/b.git", base: "dev", by: "telegram:7")
        #expect(!again.created && again.binding.repoURL == "/srv/repos/a.git")

        #expect(try await store.admit(Self.turn("t1"), in: "telegram:1") == .runNow)
        #expect(try await store.admit(Self.turn("t2"), in: "telegram:1") == .queued(ahead: 1))
        #expect(try await store.admit(Self.turn("t3"), in: "telegram:1") == .queued(ahead: 2))
        #expect(try await store.binding("telegram:1")?.running == "t1")
        #expect(try await store.binding("telegram:1")?.queued == 2)

        #expect(try await store.advance("telegram:1", ended: "t2") == nil)
        #expect(try await store.advance("telegram:1", ended: "t1") == Self.turn("t2"))
        #expect(try await store.advance("telegram:1", ended: "t1") == nil)
        #expect(try await store.advance("telegram:1", ended: "t2") == Self.turn("t3"))
        #expect(try await store.advance("telegram:1", ended: "t3") == nil)
        let idle = try #require(try await store.binding("telegram:1"))
        #expect(idle.running == nil && idle.queued == 0 && idle.turns == 3 && idle.lastTask == "t3")
        #expect(try await store.admit(Self.turn("t4"), in: "telegram:1") == .runNow)

        let ended = try #require(try await store.end("telegram:1"))
        #expect(ended.binding.running == "t4" && ended.dropped == 0)
        #expect(try await store.binding("telegram:1") == nil)
        #expect(try await store.all().isEmpty)
    }
}
