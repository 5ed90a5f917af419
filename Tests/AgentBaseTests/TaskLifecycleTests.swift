@testable import AgentBase
import Foundation
import SwitchboardTesting
import Testing

/// Task state, events, heartbeats and dead-letter replay through the broker and the runner.
@Suite(.serialized)
struct TaskLifecycleTests {
    @Test("submit records QUEUED with task.queued; the same task id is not published twice")
    func submit() async throws {
        let bus = try TestBus()
        let envelope = Envelope(type: Job.type, payload: #"{"n":1}"#, source: "api:test", conversation: "conv-1")
        let first = try await bus.broker.queue.submit(envelope, task: "t-1", agent: "worker", stream: bus.keys.inbox("worker"))
        guard case .queued = first else { Issue.record("not queued: \(first)"); return }
        #expect(try await bus.broker.queue.submit(envelope, task: "t-1", agent: "worker", stream: bus.keys.inbox("worker")) == .exists(status: .queued))
        let snapshot = try #require(try await bus.broker.tasks.task("t-1"))
        #expect(snapshot.status == .queued)
        #expect(snapshot.fields["source"] == "api:test")
        #expect(snapshot.fields["conversation"] == "conv-1")
        let queued = try await bus.events(for: "t-1")
        #expect(queued.map(\.type) == ["task.queued"])
        #expect(queued.first?.conversation == "conv-1")
        #expect(try await bus.broker.redis.send(["XLEN", bus.keys.inbox("worker")]).int == 1)
        let ttl = try await bus.broker.redis.send(["PTTL", bus.keys.task("t-1")]).int ?? 0
        #expect(ttl > 6 * 24 * 3_600_000)
        // The task index lists it once, by creation time; entries older than the task TTL go with the runners' trim.
        let created = try #require(try await bus.broker.redis.send(["ZSCORE", bus.keys.taskIndex, "t-1"]).string.flatMap { Double($0) })
        #expect(abs(created / 1000 - Date().timeIntervalSince1970) < 60)
        _ = try await bus.broker.redis.send(["ZADD", bus.keys.taskIndex, "1", "ancient"])
        _ = try await bus.broker.queue.submit(envelope, task: "t-2", agent: "worker", stream: bus.keys.inbox("worker"))
        #expect(try await bus.broker.tasks.trimTaskIndex() == 1)
        let indexed = try await bus.broker.redis.send(["ZRANGE", bus.keys.taskIndex, "0", "-1"]).array?.compactMap(\.string)
        #expect(indexed == ["t-1", "t-2"])
    }

    @Test("a full run: QUEUED → RUNNING → COMPLETED, progress, usage, reply_to, source, conversation and request_type on every event")
    func fullRun() async throws {
        let bus = try TestBus()
        let service = RunningService(bus.runner(bus.configuration()) { job, context in
            await context.progress("halfway", percent: 50)
            await context.recordUsage(Usage(tokensIn: 120, tokensOut: 30, costUSD: 0.0015))
            return JobResult(doubled: job.n * 2)
        })
        let replies = bus.keys.reply("test")
        let envelope = Envelope(type: Job.type, payload: #"{"n":4}"#, replyTo: replies, source: "telegram:42", conversation: "chat-42")
        _ = try await bus.broker.queue.submit(envelope, task: "run-1", agent: "worker", stream: bus.keys.inbox("worker"))
        try await eventually("completed") { try await bus.status("run-1") == .completed }
        await service.shutdown()
        let events = try await bus.events(for: "run-1")
        #expect(events.map(\.type) == ["task.queued", "task.started", "task.progress", "task.completed"])
        #expect(events.allSatisfy { $0.source == "telegram:42" && $0.conversation == "chat-42" && $0.agent == "worker" && $0.requestType == Job.type })
        #expect(events[2].payload == #"{"message":"halfway","percent":50}"#)
        #expect(events[3].payload == #"{"doubled":8}"#)
        let replyEvents = try await bus.broker.events.events(stream: replies, after: "0-0", count: 100, block: nil)
        #expect(replyEvents.map(\.type) == ["task.queued", "task.started", "task.progress", "task.completed"])
        let snapshot = try #require(try await bus.broker.tasks.task("run-1"))
        #expect(snapshot.fields["tokens_in"] == "120")
        #expect(snapshot.fields["tokens_out"] == "30")
        #expect(Double(snapshot.fields["cost_usd"] ?? "") == 0.0015)
        for field in ["created_at", "started_at", "finished_at", "updated_at"] { #expect(snapshot.fields[field] != nil, "\(field)") }
        #expect(snapshot.fields["progress"] == "halfway")
    }

    @Test("an ended task never changes state again")
    func transitionsAreEnforced() async throws {
        let bus = try TestBus()
        let service = RunningService(bus.runner(bus.configuration()) { job, _ in JobResult(doubled: job.n) })
        let task = try await bus.send(Job.type, #"{"n":1}"#)
        try await eventually("completed") { try await bus.status(task) == .completed }
        await service.shutdown()
        let failure = TaskFailure(error: "late", reason: "too late", retryable: false)
        try await bus.broker.tasks.finish([TaskOutcome(task: task, envelope: Envelope(type: Job.type, payload: "{}"), agent: "worker", status: .failed, eventPayload: "{}", failure: failure)])
        #expect(try await bus.status(task) == .completed)
        #expect(try await bus.events(for: task).map(\.type) == ["task.started", "task.completed"])
        try await bus.broker.tasks.progress(task: task, message: "ghost", percent: nil)  // ignored: the task has ended
        #expect(try await bus.events(for: task).count == 2)
        #expect(TaskStatus.canTransition(from: .completed, to: .failed) == false)
        #expect(TaskStatus.canTransition(from: .queued, to: .completed) == false)
        #expect(TaskStatus.canTransition(from: .running, to: .running))
    }

    @Test("cancelling a queued task ends it at once; the agent acks it without running it")
    func cancelQueued() async throws {
        let bus = try TestBus()
        _ = try await bus.broker.queue.submit(Envelope(type: Job.type, payload: #"{"n":1}"#), task: "q-1", agent: "worker", stream: bus.keys.inbox("worker"))
        #expect(try await bus.broker.tasks.requestCancel(task: "q-1") == .cancelled)
        #expect(try await bus.broker.tasks.requestCancel(task: "nope") == .unknownTask)
        let ran = Tally()
        let service = RunningService(bus.runner(bus.configuration()) { job, context in ran.record(context.task); return JobResult(doubled: job.n) })
        try await eventually("acked") {
            let groups = try await bus.broker.redis.send(["XINFO", "GROUPS", bus.keys.inbox("worker")]).array ?? []
            guard let group = groups.first?.fieldPairs.map({ Dictionary($0, uniquingKeysWith: { a, _ in a }) }) else { return false }
            return group["pending"] == "0" && group["last-delivered-id"] != "0-0"
        }
        // A request queued after the cancelled one runs; by then the cancelled one would have run too.
        let later = try await bus.send(Job.type, #"{"n":2}"#)
        try await eventually("the later request completed") { try await bus.status(later) == .completed }
        await service.shutdown()
        #expect(ran.sequence == [later])
        #expect(try await bus.status("q-1") == .cancelled)
        #expect(try await bus.events(for: "q-1").map(\.type) == ["task.queued", "task.cancelled"])
    }

    @Test("a handler over its time limit is cancelled and retried; when every try times out it is dead-lettered")
    func timeouts() async throws {
        let bus = try TestBus()
        let tries = Tally()
        let service = RunningService(bus.runner(bus.configuration(timeout: .milliseconds(150), maxAttempts: 2)) { _, _ in
            tries.record("try")
            try await Task.sleep(for: .seconds(30))
            return JobResult(doubled: 0)
        })
        let task = try await bus.send(Job.type, #"{"n":1}"#)
        try await eventually("failed") { try await bus.status(task) == .failed }
        await service.shutdown()
        #expect(tries.count("try") == 2)
        let letter = try #require(try await bus.broker.deadLetters.deadLetters(agent: "worker", count: 1).first)
        #expect(letter["error"] == "timeout")
        #expect(letter["reason"]?.contains("timed out after") == true)
    }

    @Test("a permanent error fails the task at once, without retries or a dead letter")
    func permanentError() async throws {
        let bus = try TestBus()
        let tries = Tally()
        let service = RunningService(bus.runner(bus.configuration()) { _, _ in
            tries.record("try")
            throw AgentError.permanent("repository example-org/gone does not exist", code: "not_found")
        })
        let task = try await bus.send(Job.type, #"{"n":1}"#)
        try await eventually("failed") { try await bus.status(task) == .failed }
        await service.shutdown()
        #expect(tries.count("try") == 1)
        #expect(try await bus.broker.deadLetters.deadLetters(agent: "worker", count: 10).isEmpty)
        let event = try #require(try await bus.events(for: task).last)
        let failure = try JSONDecoder().decode(TaskFailure.self, from: Data(event.payload.utf8))
        #expect(failure == TaskFailure(error: "not_found", reason: "repository example-org/gone does not exist", retryable: false))
    }

    @Test("heartbeats list live instances with their counts and vanish on shutdown")
    func heartbeats() async throws {
        let bus = try TestBus()
        let service = RunningService(bus.runner(bus.configuration(consumer: "replica-1")) { job, _ in JobResult(doubled: job.n) })
        let task = try await bus.send(Job.type, #"{"n":1}"#)
        try await eventually("counted") {
            try await bus.broker.liveness.liveInstances(agent: "worker").first?.processed == 1
        }
        let beat = try #require(try await bus.broker.liveness.liveInstances(agent: "worker").first)
        #expect(beat.instance == "replica-1")
        #expect(beat.pid == Int(ProcessInfo.processInfo.processIdentifier))
        #expect(beat.version == SwitchboardVersion.current)
        #expect(try await bus.broker.redis.send(["PTTL", bus.keys.live("worker")]).int ?? 0 > 0)
        await service.shutdown()
        #expect(try await bus.broker.liveness.liveInstances(agent: "worker").isEmpty)
        _ = task
    }

    @Test("a dead letter replayed is published again as a new task and leaves the DLQ")
    func replay() async throws {
        let bus = try TestBus()
        let healthy = Tally()
        let broken = Tally()
        let first = RunningService(bus.runner(bus.configuration(maxAttempts: 1)) { _, _ in
            broken.record("x")
            throw AgentError.retryable("dependency down")
        })
        let task = try await bus.send(Job.type, #"{"n":3}"#, idempotencyKey: "replay-key")
        try await eventually("dead-lettered") { try await bus.status(task) == .failed }
        await first.shutdown()
        let letter = try #require(try await bus.broker.deadLetters.deadLetters(agent: "worker", count: 1).first)
        let second = RunningService(bus.runner(bus.configuration()) { job, context in
            healthy.record(context.task)
            return JobResult(doubled: job.n * 2)
        })
        let entry = try await bus.broker.deadLetters.replayDeadLetter(agent: "worker", id: letter.id, stream: bus.keys.inbox("worker"))
        try await eventually("replayed task completed") { healthy.total == 1 }
        await second.shutdown()
        #expect(try await bus.broker.deadLetters.deadLetters(agent: "worker", count: 10).isEmpty)
        let replayed = try #require(healthy.keys.first)
        #expect(replayed.hasPrefix("\(task)-replay-"))
        #expect(try await bus.status(replayed) == .completed)
        #expect(try await bus.broker.tasks.task(replayed)?.result == #"{"doubled":6}"#)
        let republished = try #require(try await bus.broker.entry(entry, in: bus.keys.inbox("worker")))
        #expect(republished["type"] == Job.type)
        #expect(republished["payload"] == #"{"n":3}"#)
        #expect(republished["task"] == replayed)
        #expect(republished["replay_of"] == task)
    }

    @Test("the runner trims handled requests past the retention; the one in flight and everything after it stay")
    func trimming() async throws {
        let bus = try TestBus()
        let stream = bus.keys.inbox("worker")
        let release = Latch()
        var configuration = bus.configuration()
        configuration.retention = .zero
        configuration.trimInterval = .milliseconds(50)
        let service = RunningService(bus.runner(configuration) { job, _ in
            if job.n == 0 { try await release.wait() }
            return JobResult(doubled: job.n)
        })
        var handled: [String] = []
        for n in 1...5 { handled.append(try await bus.send(Job.type, #"{"n":\#(n)}"#)) }
        try await eventually("handled") { try await bus.allCompleted(handled) }
        let held = try await bus.send(Job.type, #"{"n":0}"#)
        try await eventually("held in flight") { try await bus.status(held) == .running }
        var after: [String] = []
        for n in 6...7 { after.append(try await bus.send(Job.type, #"{"n":\#(n)}"#)) }
        try await eventually("later ones handled") { try await bus.allCompleted(after) }
        try await eventually("the handled ones before the held entry are trimmed") { try await bus.streamIDs(stream) == [held] + after }
        release.open()
        try await eventually("held completed") { try await bus.status(held) == .completed }
        try await eventually("the held entry is trimmed once handled") { try await !bus.streamIDs(stream).contains(held) }
        await service.shutdown()
        #expect(try await bus.pendingCount() == 0)
    }

    @Test("trimProcessed removes acked entries older than the retention and keeps pending and undelivered ones")
    func trimProcessedKeepsPendingAndUndelivered() async throws {
        let bus = try TestBus()
        let stream = bus.keys.inbox("worker")
        try await bus.broker.groups.ensureGroup(stream: stream, group: "worker")
        var delivered: [String] = []
        for n in 1...4 { delivered.append(try await bus.send(Job.type, #"{"n":\#(n)}"#)) }
        _ = try await bus.broker.groups.read(stream: stream, group: "worker", consumer: "x", count: 4, block: .milliseconds(10), history: false, after: ">")
        try await bus.broker.groups.ack(stream: stream, group: "worker", ids: [delivered[0], delivered[1], delivered[3]])
        var undelivered: [String] = []
        for n in 5...6 { undelivered.append(try await bus.send(Job.type, #"{"n":\#(n)}"#)) }
        #expect(try await bus.broker.groups.trimProcessed(stream: stream, group: "worker", retention: .seconds(3600)) == 0)
        #expect(try await bus.broker.groups.trimProcessed(stream: stream, group: "worker", retention: .zero) == 2)
        #expect(try await bus.streamIDs(stream) == Array(delivered[2...]) + undelivered)
        try await bus.broker.groups.ack(stream: stream, group: "worker", ids: [delivered[2]])
        #expect(try await bus.broker.groups.trimProcessed(stream: stream, group: "worker", retention: .zero) == 1)
        let left = try await bus.streamIDs(stream)
        #expect(!left.contains(delivered[2]))
        #expect(left.suffix(2) == undelivered[...])
    }

    @Test("consumers of replicas that are gone (nothing pending, idle past the expiry) are removed from the group")
    func idleConsumers() async throws {
        let bus = try TestBus()
        let stream = bus.keys.inbox("worker")
        try await bus.broker.groups.ensureGroup(stream: stream, group: "worker")
        _ = try await bus.send(Job.type, #"{"n":1}"#)
        let handled = try await bus.send(Job.type, #"{"n":2}"#)
        _ = try await bus.broker.groups.read(stream: stream, group: "worker", consumer: "holding", count: 1, block: .milliseconds(10), history: false, after: ">")
        _ = try await bus.broker.groups.read(stream: stream, group: "worker", consumer: "gone", count: 1, block: .milliseconds(10), history: false, after: ">")
        try await bus.broker.groups.ack(stream: stream, group: "worker", ids: [handled])
        var removed: [String] = []
        try await eventually("idle past the expiry") {
            removed += try await bus.broker.groups.removeIdleConsumers(stream: stream, group: "worker", idle: .milliseconds(20), keeping: "me")
            return !removed.isEmpty
        }
        #expect(removed == ["gone"])
        let names = (try await bus.broker.redis.send(["XINFO", "CONSUMERS", stream, "worker"]).array ?? []).compactMap {
            Dictionary($0.fieldPairs ?? [], uniquingKeysWith: { first, _ in first })["name"]
        }
        #expect(names == ["holding"])
    }
}

/// An idempotency key claimed for a task that was never submitted can be freed, only by that task.
struct IdempotencyReleaseTests {
    @Test("release frees the key only while it names the task")
    func release() async throws {
        let bus = try TestBus()
        defer { bus.broker.close() }
        let key = bus.keys.idempotency("gateway", "client:k1")
        #expect(try await bus.broker.queue.claimIdempotencyKey(key, task: "t1") == nil)
        await bus.broker.queue.releaseIdempotencyKey(key, task: "t2")
        #expect(try await bus.broker.queue.claimIdempotencyKey(key, task: "t3") == "t1")
        await bus.broker.queue.releaseIdempotencyKey(key, task: "t1")
        #expect(try await bus.broker.queue.claimIdempotencyKey(key, task: "t4") == nil)
    }
}
