import AgentBase
import Foundation
import Orchestrator
import Synchronization
import SwitchboardTesting
import Testing
import Workflows

/// Schedules: one fire per slot across replicas, and the missed-run policy after downtime (injected clock).
@Suite(.serialized)
struct ScheduleTests {
    final class Clock: Sendable {
        let now = Mutex(Date(timeIntervalSince1970: 1_795_255_230))  // 2026-11-21 10:00:30 UTC

        func set(minute: Int, second: Int) {
            now.withLock { $0 = Date(timeIntervalSince1970: 1_795_255_200 + Double(minute * 60 + second)) }
        }

        static func slot(minute: Int) -> Int64 { 1_795_255_200 + Int64(minute * 60) }
    }

    let harness: Harness
    let schedules: ScheduleCatalogue
    let clock = Clock()

    init() throws {
        harness = try Harness(workflows: "workflows:\n  w:\n    steps:\n      - {name: a, type: pr.review}\n")
        schedules = try ScheduleCatalogue.parse("""
        schedules:
          - name: minutely
            cron: "* * * * *"
            message: todos.scrape
            payload: {url: "https://todo.example.com/list"}
          - name: catch-up
            cron: "*/5 * * * *"
            time_zone: Europe/Berlin
            workflow: w
            missed: run_once
        """, registry: harness.registry, workflows: harness.workflows)
    }

    func scheduler() throws -> Scheduler {
        let clock = clock
        return Scheduler(bus: try harness.bus.replicaBroker(), schedules: schedules, configuration: harness.configuration("s"), clock: { clock.now.withLock { $0 } }, logger: quietLogger)
    }

    func published(_ agent: String) async throws -> [String] {
        let reply = try await harness.bus.broker.redis.send(["XRANGE", harness.bus.keys.inbox(agent), "-", "+"])
        return (reply.array ?? []).compactMap { entry in
            entry.array?.last?.fieldPairs?.first { $0.0 == "task" }?.1
        }
    }

    @Test("two replicas fire each slot once; slots missed during downtime are skipped or fired once")
    func slots() async throws {
        var replicas = [try scheduler(), try scheduler()]
        for replica in replicas { await replica.tick() }  // first sight: nothing from the past
        #expect(try await published("scraper").isEmpty)

        clock.set(minute: 1, second: 10)
        for replica in replicas.reversed() + replicas { await replica.tick() }
        clock.set(minute: 2, second: 5)
        for replica in replicas + replicas { await replica.tick() }
        #expect(try await published("scraper") == ["schedule-minutely-\(Clock.slot(minute: 1))", "schedule-minutely-\(Clock.slot(minute: 2))"])

        // Every replica stops; they come back 28 minutes later.
        replicas = [try scheduler(), try scheduler()]
        clock.set(minute: 30, second: 5)
        for replica in replicas + replicas { await replica.tick() }
        #expect(try await published("scraper").count == 2)  // skip: the missed minutes are not fired
        #expect(try await published("orchestrator") == ["schedule-catch-up-\(Clock.slot(minute: 30))"])  // run_once: one fire

        clock.set(minute: 31, second: 2)
        for replica in replicas { await replica.tick() }
        #expect(try await published("scraper").last == "schedule-minutely-\(Clock.slot(minute: 31))")
        #expect(try await published("orchestrator").count == 1)
    }

    @Test("a paused schedule lets its slots pass unfired, and resuming fires no backlog")
    func paused() async throws {
        let replica = try scheduler()
        await replica.tick()  // first sight
        let pausedKey = harness.bus.keys.schedulePaused("minutely")
        _ = try await harness.bus.broker.redis.send(["SET", pausedKey, "web:ops"])
        clock.set(minute: 1, second: 5)
        await replica.tick()
        clock.set(minute: 2, second: 5)
        await replica.tick()
        #expect(try await published("scraper").isEmpty)
        _ = try await harness.bus.broker.redis.send(["DEL", pausedKey])
        clock.set(minute: 2, second: 30)
        await replica.tick()
        #expect(try await published("scraper").isEmpty, "the slots that passed while paused are not fired")
        clock.set(minute: 3, second: 5)
        await replica.tick()
        #expect(try await published("scraper") == ["schedule-minutely-\(Clock.slot(minute: 3))"])
    }
}
