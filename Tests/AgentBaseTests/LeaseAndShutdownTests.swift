@testable import AgentBase
import Foundation
import SwitchboardTesting
import Testing

/// Lease renewal and the shutdown grace period, each able to fail when the runner does not do its part.
@Suite(.serialized)
struct LeaseAndShutdownTests {
    @Test("a handler running past the visibility timeout keeps its lease: a live second consumer never runs it too")
    func leaseIsRenewed() async throws {
        let bus = try TestBus()
        let visibility = Duration.milliseconds(400)
        let runs = Tally()
        let work: @Sendable (Job, TaskContext) async throws -> JobResult = { job, context in
            runs.record(context.task)
            try await Task.sleep(for: visibility * 5)  // the behaviour under test: outliving the lease many times over
            return JobResult(doubled: job.n * 2)
        }
        let a = RunningService(bus.runner(bus.configuration(consumer: "a", visibility: visibility), work))
        let task = try await bus.send(Job.type, #"{"n":4}"#)
        try await eventually("a runs the task") { runs.count(task) == 1 }
        let b = RunningService(bus.runner(bus.configuration(consumer: "b", visibility: visibility), broker: try bus.replicaBroker(), work))
        try await eventually("b is alive") { try await bus.broker.liveness.liveInstances(agent: "worker").contains { $0.instance == "b" } }
        try await eventually("completed") { try await bus.status(task) == .completed }
        await b.shutdown()
        await a.shutdown()
        #expect(runs.count(task) == 1)
        #expect(try await bus.events(for: task).map(\.type) == ["task.started", "task.completed"])
        #expect(try await bus.broker.tasks.task(task)?.attempts == 1)
        #expect(try await bus.broker.tasks.task(task)?.result == #"{"doubled":8}"#)
        #expect(try await bus.pendingCount() == 0)
    }

    @Test("graceful shutdown gives an in-flight handler its grace: its effect happens and the task is COMPLETED and acked")
    func shutdownWaitsForInFlight() async throws {
        let bus = try TestBus()
        let started = Tally()
        let effects = Tally()
        var configuration = bus.configuration()
        configuration.shutdownGrace = .seconds(20)
        let service = RunningService(bus.runner(configuration) { job, context in
            started.record(context.task)
            try await Task.sleep(for: .milliseconds(300))  // well inside the grace
            effects.record(context.task)
            return JobResult(doubled: job.n * 2)
        })
        let task = try await bus.send(Job.type, #"{"n":5}"#)
        try await eventually("in flight") { started.count(task) == 1 }
        await service.shutdown()
        #expect(effects.count(task) == 1)
        #expect(try await bus.status(task) == .completed)
        #expect(try await bus.broker.tasks.task(task)?.result == #"{"doubled":10}"#)
        #expect(try await bus.pendingCount() == 0)
    }

    @Test("a handler that outlasts the grace is interrupted and left pending, not acked; the next consumer runs it")
    func graceExpiresLeavesPending() async throws {
        let bus = try TestBus()
        let started = Tally()
        let interrupted = Tally()
        var configuration = bus.configuration(consumer: "a")
        configuration.shutdownGrace = .milliseconds(200)
        let first = RunningService(bus.runner(configuration) { _, context in
            started.record(context.task)
            do {
                try await Latch().wait()  // never opened: only the end of the grace stops it
            } catch {
                interrupted.record(context.task)
                throw error
            }
            return JobResult(doubled: 0)
        })
        let task = try await bus.send(Job.type, #"{"n":6}"#)
        try await eventually("in flight") { started.count(task) == 1 }
        await first.shutdown()
        #expect(interrupted.count(task) == 1)
        #expect(try await bus.status(task) == .running)
        #expect(try await bus.events(for: task).map(\.type) == ["task.started"])
        let pending = try await bus.broker.redis.send(["XPENDING", bus.keys.inbox("worker"), "worker", "-", "+", "10"]).array ?? []
        #expect(pending.count == 1)
        #expect(pending.first?.array?.first?.string == task)
        #expect(pending.first?.array?[1].string == "a")

        let effects = Tally()
        let next = RunningService(bus.runner(bus.configuration(consumer: "b", visibility: .milliseconds(300)), broker: try bus.replicaBroker()) { job, context in
            effects.record(context.task)
            return JobResult(doubled: job.n * 2)
        })
        try await eventually("the next consumer completes it") { try await bus.status(task) == .completed }
        await next.shutdown()
        #expect(effects.count(task) == 1)
        #expect(try await bus.broker.tasks.task(task)?.result == #"{"doubled":12}"#)
        #expect(try await bus.pendingCount() == 0)
    }
}
