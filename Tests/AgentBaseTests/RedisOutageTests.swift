@testable import AgentBase
import Foundation
import SwitchboardTesting
import Testing

/// Redis going away under a running handler, and the cap on the events streams.
@Suite(.serialized)
struct RedisOutageTests {
    @Test("redis-server dies while a handler runs: the outcome is recorded once Redis is back; the effect happens once")
    func redisDownMidHandler() async throws {
        let server = try RedisServer(appendOnly: true)
        defer { server.stop() }
        let bus = try TestBus(url: server.url)
        // The runner's client gives up reconnecting after 100 ms, so an outage longer than that reaches the runner.
        let broker = try RedisBus.quick(url: server.url, keys: bus.keys, connectTimeout: .milliseconds(100))
        defer { broker.close() }
        let started = Tally()
        let effects = Tally()
        let release = Latch()
        let service = RunningService(bus.runner(bus.configuration(visibility: .seconds(30)), broker: broker) { job, context in
            started.record(context.task)
            try await release.wait()
            effects.record(context.task)
            return JobResult(doubled: job.n * 2)
        })
        let task = try await bus.send(Job.type, #"{"n":7}"#)
        try await eventually("running") { started.count(task) == 1 }
        server.kill()
        #expect(!FreePort.canConnect(server.port))
        release.open()  // the handler finishes while Redis is down
        try await eventually("handler done") { effects.count(task) == 1 }
        try await Task.sleep(for: .milliseconds(600))  // the outage under test: several connect timeouts long
        try server.start()
        try await eventually("the outcome is recorded after the reconnect", timeout: .seconds(60)) {
            (try? await bus.status(task)) == .completed  // the test's own connection may first see the old one closed
        }
        await service.shutdown()
        #expect(started.count(task) == 1)
        #expect(effects.count(task) == 1)
        #expect(try await bus.broker.tasks.task(task)?.result == #"{"doubled":14}"#)
        #expect(try await bus.events(for: task).map(\.type) == ["task.started", "task.completed"])
        #expect(try await bus.pendingCount() == 0)
    }

    @Test("SB_EVENTS_MAXLEN caps the events stream and reply_to streams near the limit (at least 1,000)")
    func eventsAreCapped() async throws {
        let environment = SwitchboardEnvironment(["SB_EVENTS_MAXLEN": "10"])
        #expect(environment.eventsMaxLength == 1000)
        let bus = try TestBus()
        let broker = try RedisBus.quick(url: bus.url, keys: bus.keys, eventsMaxLength: environment.eventsMaxLength)
        defer { broker.close() }
        let service = RunningService(bus.runner(bus.configuration(), broker: broker) { job, context in
            for step in 1...job.n { await context.progress("step \(step)", percent: nil) }
            return JobResult(doubled: job.n * 2)
        })
        let replies = bus.keys.reply("capped")
        let task = try await bus.broker.queue.publish(Envelope(type: Job.type, payload: #"{"n":1500}"#, replyTo: replies), to: bus.keys.inbox("worker"))
        try await eventually("completed", timeout: .seconds(60)) { try await bus.status(task) == .completed }
        await service.shutdown()
        // Trimming with `~` removes whole stream nodes (100 entries each by default): the length stays within a node of the cap.
        for stream in [bus.keys.events, replies] {
            let length = try await bus.broker.redis.send(["XLEN", stream]).int ?? 0
            #expect((1000...1100).contains(length), "\(stream): \(length)")
            let newest = try await bus.broker.newestEntry(in: stream)
            #expect(newest?["type"] == "task.completed")
        }
    }
}
