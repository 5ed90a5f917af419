@testable import AgentBase
import Foundation
import SwitchboardTesting
import Testing

/// `reply_to` names only a stream under `<prefix>:reply:`; a bad one is dead-lettered at the agent, never written to,
/// and never holds up the other messages of its read batch.
@Suite(.serialized)
struct ReplyToTests {
    @Test("bad reply_to entries in one read batch are dead-lettered with the reason; their neighbours complete")
    func badReplyToDoesNotPoisonTheBatch() async throws {
        let bus = try TestBus()
        // Keys a hostile reply_to could name: another task's state, another agent's inbox, a hash under the prefix.
        _ = try await bus.broker.queue.submit(Envelope(type: Job.type, payload: #"{"n":9}"#), task: "victim", agent: "other", stream: bus.keys.inbox("other"))
        try await bus.broker.redis.send(["HSET", bus.keys.reply("squatted"), "field", "value"])
        let replies = bus.keys.reply("client")
        let messages: [(task: String, replyTo: String?)] = [
            ("good-1", nil), ("into-task", bus.keys.task("victim")), ("good-2", replies),
            ("into-inbox", bus.keys.inbox("other")), ("wrong-type", bus.keys.reply("squatted")), ("bare-prefix", bus.keys.replyPrefix),
            ("good-3", nil),
        ]
        // Published before the runner starts, so one XREADGROUP returns them all as one batch.
        _ = try await bus.broker.queue.publish(messages.map { Envelope(type: Job.type, payload: #"{"n":2}"#, task: $0.task, replyTo: $0.replyTo) }, to: bus.keys.inbox("worker"))
        let service = RunningService(bus.runner(bus.configuration(concurrency: 16)) { job, _ in JobResult(doubled: job.n * 2) })
        let good = ["good-1", "good-2", "good-3"]
        let bad = ["into-task", "into-inbox", "wrong-type", "bare-prefix"]
        try await eventually("every message ended") {
            for task in good where try await bus.status(task) != .completed { return false }
            for task in bad where try await bus.status(task) != .failed { return false }
            return true
        }
        await service.shutdown()

        let letters = try await bus.broker.deadLetters.deadLetters(agent: "worker", count: 10)
        let reasons = Dictionary(uniqueKeysWithValues: letters.map { ($0["task"] ?? "", ($0["error"] ?? "", $0["reason"] ?? "")) })
        #expect(Set(reasons.keys) == Set(bad))
        #expect(reasons.values.allSatisfy { $0.0 == "bad_message" })
        #expect(reasons["into-task"]?.1.contains("must name a stream under '\(bus.keys.replyPrefix)'") == true)
        #expect(reasons["into-inbox"]?.1.contains("is not a reply stream") == true)
        #expect(reasons["wrong-type"]?.1 == "reply_to '\(bus.keys.reply("squatted"))' holds a hash, not a stream; nothing was written to it")
        for task in bad {
            let failed = try #require(try await bus.events(for: task).last)
            #expect(failed.type == "task.failed", "\(task)")
            #expect(failed.payload.contains("bad_message"), "\(task)")
        }
        // Nothing was written where the bad ones pointed.
        #expect(try await bus.broker.redis.send(["TYPE", bus.keys.task("victim")]) == .status("hash"))
        #expect(try await bus.broker.tasks.task("victim")?.status == .queued)
        #expect(try await bus.broker.redis.send(["XLEN", bus.keys.inbox("other")]).int == 1)
        #expect(try await bus.broker.redis.send(["HGETALL", bus.keys.reply("squatted")]).array?.count == 2)
        // The good reply stream got its task's events, and only those.
        let replied = try await bus.broker.events.events(stream: replies, after: "0-0", count: 100, block: nil)
        #expect(replied.map(\.type) == ["task.started", "task.completed"])
        #expect(replied.allSatisfy { $0.task == "good-2" })
        #expect(try await bus.pendingCount() == 0)
    }

    @Test("the scripts never write outside the reply prefix, and a reply key of another type never fails a script")
    func scriptsAreRobust() async throws {
        let bus = try TestBus()
        try await bus.broker.redis.send(["SET", bus.keys.reply("string"), "occupied"])
        // A publisher that skips validation (any Redis client can) still cannot make submit write elsewhere or fail.
        let outside = "\(bus.keys.prefix):elsewhere"
        _ = try await bus.broker.queue.submit(Envelope(type: Job.type, payload: "{}", replyTo: outside), task: "s-1", agent: "worker", stream: bus.keys.inbox("worker"))
        #expect(try await bus.status("s-1") == .queued)
        #expect(try await bus.broker.redis.send(["EXISTS", outside]).int == 0)
        _ = try await bus.broker.queue.submit(Envelope(type: Job.type, payload: "{}", replyTo: bus.keys.reply("string")), task: "s-2", agent: "worker", stream: bus.keys.inbox("worker"))
        #expect(try await bus.status("s-2") == .queued)
        #expect(try await bus.broker.redis.send(["GET", bus.keys.reply("string")]).string == "occupied")
    }

    @Test("Envelope parsing refuses a reply_to outside the reply prefix and keeps one inside it")
    func parsing() throws {
        let keys = KeySpace(prefix: "sb")
        let ok = try Envelope(fields: [("type", "t"), ("payload", "{}"), ("reply_to", "sb:reply:c-1")], keys: keys)
        #expect(ok.replyTo == "sb:reply:c-1")
        for bad in ["sb:task:x", "sb:in:other", "sb:events", "sb:reply:", "other:reply:x", "sb:replyx"] {
            #expect(throws: MessageRejection.self, "\(bad)") { try Envelope(fields: [("type", "t"), ("payload", "{}"), ("reply_to", bad)], keys: keys) }
        }
    }
}
