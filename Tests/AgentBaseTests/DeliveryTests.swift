@testable import AgentBase
import Foundation
import SwitchboardTesting
import Testing

/// The at-least-once guarantees of issue #2, each against a real redis-server.
@Suite(.serialized)
struct DeliveryTests {
    @Test("1. a consumer that dies mid-handler: another reclaims after the visibility timeout; the effect happens once")
    func deadConsumerIsReclaimed() async throws {
        let bus = try TestBus()
        let effects = Tally()
        let a = RunningService(bus.runner(bus.configuration(consumer: "a", visibility: .seconds(1))) { job, context in
            try await Task.sleep(for: .seconds(3600))  // never finishes: the process "dies" first
            effects.record(context.task)
            return JobResult(doubled: job.n * 2)
        })
        let task = try await bus.send(Job.type, #"{"n":21}"#)
        try await eventually("a has the task in flight") { a.runner.inFlightCount == 1 }
        await a.kill()
        #expect(try await bus.status(task) == .running)

        let b = RunningService(bus.runner(bus.configuration(consumer: "b", visibility: .seconds(1)), broker: try bus.replicaBroker()) { job, context in
            effects.record(context.task)
            return JobResult(doubled: job.n * 2)
        })
        try await eventually("b completes the reclaimed task") { try await bus.status(task) == .completed }
        await b.shutdown()
        #expect(effects.count(task) == 1)
        #expect(try await bus.broker.tasks.task(task)?.result == #"{"doubled":42}"#)
        #expect(try await bus.pendingCount() == 0)
    }

    @Test("2. restart with the same consumer name: its own pending entries are processed first")
    func ownPendingFirst() async throws {
        let bus = try TestBus()
        let first = RunningService(bus.runner(bus.configuration(consumer: "same", concurrency: 3)) { _, _ in
            try await Task.sleep(for: .seconds(3600))
            return JobResult(doubled: 0)
        })
        var pending: [String] = []
        for n in 1...3 { pending.append(try await bus.send(Job.type, #"{"n":\#(n)}"#)) }
        try await eventually("three in flight") { first.runner.inFlightCount == 3 }
        await first.kill()
        var fresh: [String] = []
        for n in 4...5 { fresh.append(try await bus.send(Job.type, #"{"n":\#(n)}"#)) }

        let order = Tally()
        let second = RunningService(bus.runner(bus.configuration(consumer: "same", concurrency: 1)) { job, context in
            order.record(context.task)
            return JobResult(doubled: job.n * 2)
        })
        try await eventually("all five done") { order.total == 5 }
        await second.shutdown()
        #expect(Set(order.sequence.prefix(3)) == Set(pending))
        #expect(Array(order.sequence.suffix(2)) == fresh)
    }

    @Test("3. a handler that throws a retryable error twice is retried with backoff, then completes")
    func retryThenComplete() async throws {
        let bus = try TestBus()
        let attempts = Tally()
        let service = RunningService(bus.runner(bus.configuration()) { job, context in
            attempts.record("try")
            if context.attempt < 3 { throw AgentError.retryable("upstream busy (attempt \(context.attempt))") }
            return JobResult(doubled: job.n * 2)
        })
        let task = try await bus.send(Job.type, #"{"n":2}"#)
        try await eventually("completed") { try await bus.status(task) == .completed }
        await service.shutdown()
        #expect(attempts.count("try") == 3)
        let snapshot = try #require(try await bus.broker.tasks.task(task))
        #expect(snapshot.attempts == 3)
        let types = try await bus.events(for: task).map(\.type)
        #expect(types == ["task.started", "task.progress", "task.progress", "task.completed"])
        let progress = try await bus.events(for: task).filter { $0.type == "task.progress" }
        #expect(progress.allSatisfy { $0.payload.contains("retrying in") })
    }

    @Test("4. an always-failing message goes to the DLQ after max attempts, with the reason, before XACK, with task.failed")
    func alwaysFailingGoesToDeadLetters() async throws {
        let bus = try TestBus()
        let service = RunningService(bus.runner(bus.configuration(maxAttempts: 3)) { _, _ in
            throw AgentError.retryable("the database is on fire")
        })
        let task = try await bus.send(Job.type, #"{"n":1}"#)
        try await eventually("failed") { try await bus.status(task) == .failed }
        await service.shutdown()
        let letters = try await bus.broker.deadLetters.deadLetters(agent: "worker", count: 10)
        #expect(letters.count == 1)
        let letter = try #require(letters.first)
        #expect(letter["type"] == Job.type)
        #expect(letter["payload"] == #"{"n":1}"#)
        #expect(letter["entry"] == task)
        #expect(letter["attempts"] == "3")
        #expect(letter["error"] == "max_attempts")
        #expect(letter["reason"]?.contains("the database is on fire") == true)
        #expect(try await bus.pendingCount() == 0)
        let failed = try #require(try await bus.events(for: task).last)
        #expect(failed.type == "task.failed")
        let failure = try JSONDecoder().decode(TaskFailure.self, from: Data(failed.payload.utf8))
        #expect(failure.retryable == false)
        #expect(failure.reason.contains("gave up after 3 attempts"))
    }

    @Test("4b. the dead letter is written in the same atomic step as the XACK (the finish script)")
    func deadLetterBeforeAck() async throws {
        let bus = try TestBus()
        try await bus.broker.groups.ensureGroup(stream: bus.keys.inbox("worker"), group: "worker")
        let id = try await bus.send(Job.type, #"{"n":1}"#)
        _ = try await bus.broker.groups.read(stream: bus.keys.inbox("worker"), group: "worker", consumer: "x", count: 1, block: .milliseconds(10), history: false, after: ">")
        // A finish whose dead letter cannot be written (the DLQ key holds a string) must not ack.
        try await bus.broker.redis.send(["SET", bus.keys.deadLetters("worker"), "not a stream"])
        let failure = TaskFailure(error: "max_attempts", reason: "test", retryable: false)
        let outcome = TaskOutcome(
            task: id, envelope: Envelope(type: Job.type, payload: "{}"), agent: "worker", status: .failed, eventPayload: "{}", failure: failure,
            ack: (bus.keys.inbox("worker"), "worker", id), deadLetter: (bus.keys.deadLetters("worker"), [("type", Job.type)])
        )
        await #expect(throws: RedisError.self) { try await bus.broker.tasks.finish([outcome]) }
        #expect(try await bus.pendingCount() == 1)
    }

    @Test("5. malformed JSON, an unknown type and a payload that breaks the schema go to the DLQ at once with a clear reason")
    func badInputIsDeadLetteredAtOnce() async throws {
        let bus = try TestBus()
        let calls = Tally()
        var handlers = AgentHandlers(schemas: try SchemaLibrary(directory: RepositoryPaths.schemas))
        handlers.on(Job.self) { job, _ in calls.record("job"); return JobResult(doubled: job.n) }
        handlers.on(TodosScrapeRequest.self) { _, _ in calls.record("scrape"); throw AgentError.permanent("not in this test") }
        let service = RunningService(AgentRunner(configuration: bus.configuration(), bus: bus.broker.agent, handlers: handlers, logger: quietLogger))
        let malformed = try await bus.send(Job.type, #"{"n": 1"#)
        let unknown = try await bus.send("no.such.type", "{}")
        let wrongType = try await bus.send(Job.type, #"{"n":"seven"}"#)
        let schema = try await bus.send(TodosScrapeRequest.type, #"{"url": 42, "format": "markdown"}"#)
        let noType = try await bus.broker.redis.send(["XADD", bus.keys.inbox("worker"), "*", "payload", "{}"]).string ?? ""
        let all = [malformed, unknown, wrongType, schema, noType]
        try await eventually("all failed") {
            for task in all where try await bus.status(task) != .failed { return false }
            return true
        }
        await service.shutdown()
        #expect(calls.total == 0)
        let letters = try await bus.broker.deadLetters.deadLetters(agent: "worker", count: 10)
        #expect(letters.count == 5)
        let reasons = Dictionary(uniqueKeysWithValues: letters.map { ($0["entry"] ?? "", ($0["error"] ?? "", $0["reason"] ?? "")) })
        #expect(reasons[malformed]?.0 == "bad_message")
        #expect(reasons[malformed]?.1.contains("not valid JSON") == true)
        #expect(reasons[unknown]?.0 == "unknown_type")
        #expect(reasons[unknown]?.1.contains("does not handle message type 'no.such.type'") == true)
        #expect(reasons[wrongType]?.0 == "invalid_payload")
        #expect(reasons[wrongType]?.1.contains("/n") == true)
        #expect(reasons[schema]?.0 == "invalid_payload")
        #expect(reasons[schema]?.1.contains("/url") == true)
        #expect(reasons[noType]?.0 == "bad_message")
        #expect(letters.allSatisfy { $0["attempts"] == "1" })
        for task in all {
            #expect(try await bus.events(for: task).map(\.type) == ["task.failed"])
        }
        #expect(try await bus.pendingCount() == 0)
    }

    @Test("6. graceful shutdown with messages in flight loses nothing; the rest are processed after restart")
    func gracefulShutdownLosesNothing() async throws {
        let bus = try TestBus()
        let effects = Tally()
        var configuration = bus.configuration(consumer: "w", concurrency: 4)
        configuration.shutdownGrace = .milliseconds(300)
        let work: @Sendable (Job, TaskContext) async throws -> JobResult = { job, context in
            try await Task.sleep(for: .milliseconds(job.n % 2 == 0 ? 50 : 2000))  // odd ones outlast the grace period
            effects.record(context.task)
            return JobResult(doubled: job.n * 2)
        }
        let first = RunningService(bus.runner(configuration, work))
        var tasks: [String] = []
        for n in 1...12 { tasks.append(try await bus.send(Job.type, #"{"n":\#(n)}"#)) }
        try await eventually("some done") { effects.total >= 2 }
        await first.shutdown()
        #expect(first.runner.inFlightCount == 0)

        let second = RunningService(bus.runner(configuration, work))
        try await eventually("all completed", timeout: .seconds(40)) {
            for task in tasks where try await bus.status(task) != .completed { return false }
            return true
        }
        await second.shutdown()
        #expect(tasks.allSatisfy { effects.count($0) == 1 })
        #expect(try await bus.pendingCount() == 0)
    }

    @Test("7. redis-server killed and restarted on the same port: clients reconnect and continue; nothing lost")
    func redisRestart() async throws {
        let server = try RedisServer(appendOnly: true)
        defer { server.stop() }
        let bus = try TestBus(url: server.url)
        let effects = Tally()
        let service = RunningService(bus.runner(bus.configuration(visibility: .seconds(2))) { job, context in
            effects.record(context.task)
            return JobResult(doubled: job.n)
        })
        var tasks: [String] = []
        for n in 1...20 { tasks.append(try await bus.send(Job.type, #"{"n":\#(n)}"#)) }
        try await eventually("first batch done") { effects.total >= 20 }
        server.kill()
        try await Task.sleep(for: .milliseconds(300))
        try server.start()
        for n in 21...40 { tasks.append(try await bus.send(Job.type, #"{"n":\#(n)}"#)) }
        try await eventually("all completed after the restart", timeout: .seconds(40)) {
            for task in tasks where try await bus.status(task) != .completed { return false }
            return true
        }
        await service.shutdown()
        #expect(Set(tasks).isSubset(of: effects.keys))
        #expect(tasks.allSatisfy { effects.count($0) == 1 })
    }

    @Test("8. the same idempotency key published twice: the effect happens once")
    func idempotencyKey() async throws {
        let bus = try TestBus()
        let effects = Tally()
        let service = RunningService(bus.runner(bus.configuration(concurrency: 4, visibility: .seconds(1))) { job, _ in
            effects.record("charge")
            try await Task.sleep(for: .milliseconds(100))
            return JobResult(doubled: job.n * 2)
        })
        let first = try await bus.send(Job.type, #"{"n":5}"#, idempotencyKey: "order-77")
        let second = try await bus.send(Job.type, #"{"n":5}"#, idempotencyKey: "order-77")
        try await eventually("both ended") {
            let a = try await bus.status(first)
            let b = try await bus.status(second)
            return a == .completed && b == .completed
        }
        // The same task id delivered again (a publisher retry) is not run again either.
        _ = try await bus.send(Job.type, #"{"n":5}"#, task: first)
        try await eventually("redelivery acked") { try await bus.pendingCount() == 0 }
        await service.shutdown()
        #expect(effects.count("charge") == 1)
        let copy = try #require(try await bus.broker.tasks.task(second))
        #expect(copy.fields["duplicate_of"] == first)
        #expect(copy.result == #"{"doubled":10}"#)
    }

    @Test("9. a pending entry deleted (XDEL) or trimmed is acked and counted, no crash loop")
    func deletedPendingEntries() async throws {
        let bus = try TestBus()
        let stream = bus.keys.inbox("worker")
        try await bus.broker.groups.ensureGroup(stream: stream, group: "worker")
        let gone = try await bus.send(Job.type, #"{"n":1}"#)
        let alsoGone = try await bus.send(Job.type, #"{"n":2}"#)
        _ = try await bus.broker.groups.read(stream: stream, group: "worker", consumer: "me", count: 1, block: .milliseconds(10), history: false, after: ">")
        _ = try await bus.broker.groups.read(stream: stream, group: "worker", consumer: "crashed", count: 1, block: .milliseconds(10), history: false, after: ">")
        try await bus.broker.redis.send(["XDEL", stream, gone])
        try await bus.broker.redis.send(["XTRIM", stream, "MAXLEN", "0"])
        #expect(try await bus.pendingCount() == 2)
        _ = alsoGone

        let effects = Tally()
        let service = RunningService(bus.runner(bus.configuration(consumer: "me", visibility: .milliseconds(300))) { job, context in
            effects.record(context.task)
            return JobResult(doubled: job.n)
        })
        try await eventually("both acked") { try await bus.pendingCount() == 0 }
        let after = try await bus.send(Job.type, #"{"n":3}"#)
        try await eventually("still consuming") { try await bus.status(after) == .completed }
        await service.shutdown()
        #expect(service.runner.deletedPendingCount == 2)
        #expect(effects.total == 1)
    }

    @Test("10. the stream or the group deleted while running is recreated and consumption continues")
    func streamOrGroupDeleted() async throws {
        let bus = try TestBus()
        let effects = Tally()
        let service = RunningService(bus.runner(bus.configuration()) { job, context in
            effects.record(context.task)
            return JobResult(doubled: job.n)
        })
        let before = try await bus.send(Job.type, #"{"n":1}"#)
        try await eventually("first") { try await bus.status(before) == .completed }
        try await bus.broker.redis.send(["DEL", bus.keys.inbox("worker")])
        let afterDelete = try await bus.send(Job.type, #"{"n":2}"#)
        try await eventually("after stream deleted") { try await bus.status(afterDelete) == .completed }
        try await bus.broker.redis.send(["XGROUP", "DESTROY", bus.keys.inbox("worker"), "worker"])
        let afterDestroy = try await bus.send(Job.type, #"{"n":3}"#)
        try await eventually("after group destroyed") { try await bus.status(afterDestroy) == .completed }
        await service.shutdown()
        #expect(effects.count(afterDelete) == 1)
        #expect(effects.count(afterDestroy) == 1)
    }

    @Test("11. three consumers × 10,000 messages: every message handled exactly once, none lost")
    func threeConsumersTenThousand() async throws {
        let bus = try TestBus()
        let effects = Tally()
        let work: @Sendable (Job, TaskContext) async throws -> JobResult = { job, context in
            effects.record(context.task)
            return JobResult(doubled: job.n * 2)
        }
        var services: [RunningService] = []
        for name in ["r1", "r2", "r3"] {
            services.append(RunningService(bus.runner(bus.configuration(consumer: name, concurrency: 64), broker: try bus.replicaBroker(), work)))
        }
        var ids: [String] = []
        for chunk in stride(from: 0, to: 10_000, by: 500) {
            let envelopes = (chunk..<(chunk + 500)).map { Envelope(type: Job.type, payload: #"{"n":\#($0)}"#) }
            ids += try await bus.broker.queue.publish(envelopes, to: bus.keys.inbox("worker"))
        }
        try await eventually("10,000 handled", timeout: .seconds(120)) { effects.total >= 10_000 }
        try await eventually("all acked", timeout: .seconds(30)) { try await bus.pendingCount() == 0 }
        for service in services { await service.shutdown() }
        #expect(effects.total == 10_000)
        #expect(effects.keys == Set(ids))
        #expect(effects.all.values.allSatisfy { $0 == 1 })
        #expect(services.allSatisfy { $0.runner.processedCount > 0 })
    }

    @Test("12. cancelling a running task cancels the handler; status CANCELLED and a task.cancelled event")
    func cancelRunningTask() async throws {
        let bus = try TestBus()
        let cancelled = Tally()
        let service = RunningService(bus.runner(bus.configuration()) { _, _ in
            do {
                try await Task.sleep(for: .seconds(3600))
            } catch {
                cancelled.record("cancelled")
                throw error
            }
            return JobResult(doubled: 0)
        })
        let task = try await bus.send(Job.type, #"{"n":1}"#)
        try await eventually("running") { try await bus.status(task) == .running }
        #expect(try await bus.broker.tasks.requestCancel(task: task) == .requested)
        try await eventually("cancelled") { try await bus.status(task) == .cancelled }
        await service.shutdown()
        #expect(cancelled.count("cancelled") == 1)
        #expect(try await bus.events(for: task).map(\.type) == ["task.started", "task.cancelled"])
        #expect(try await bus.pendingCount() == 0)
        #expect(try await bus.broker.tasks.requestCancel(task: task) == .alreadyEnded(.cancelled))
    }
}
