import AgentBase
import Foundation
import Logging
import ServiceLifecycle
import Workflows

/// Fires the schedules of `schedules.yaml`. Every replica runs one; each slot fires once across all of them
/// (`SET sb:schedule:<name>:<slot> NX`), and `sb:schedule:<name>:last` remembers the latest slot handled so that
/// slots that passed while no replica ran are skipped or fired once, as the schedule's `missed` says.
public final class Scheduler: Service, Sendable {
    let queue: any TaskQueue
    let redis: RedisConnection
    let keys: KeySpace
    let schedules: ScheduleCatalogue
    let configuration: OrchestratorConfiguration
    let clock: @Sendable () -> Date
    let logger: Logger

    public init(bus: RedisBus, schedules: ScheduleCatalogue, configuration: OrchestratorConfiguration, clock: @escaping @Sendable () -> Date = { Date() }, logger: Logger) {
        self.queue = bus.queue
        self.redis = bus.redis
        self.keys = bus.keys
        self.schedules = schedules
        self.configuration = configuration
        self.clock = clock
        self.logger = logger
    }

    public func run() async throws {
        guard !schedules.schedules.isEmpty else {
            // Returning early would end the whole ServiceGroup; wait for the shutdown like the others.
            try? await gracefulShutdown()
            return
        }
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.tick()
                try? await Task.sleep(for: self.configuration.schedulerTick)
            }
        }
    }

    /// Looks at every schedule once.
    public func tick() async {
        for schedule in schedules.schedules {
            do {
                try await check(schedule)
            } catch {
                logger.warning("cannot check a schedule; retrying", metadata: ["schedule": "\(schedule.name)", "error": "\(error)"])
            }
        }
    }

    private func check(_ schedule: ScheduleDefinition) async throws {
        let now = clock()
        let lastKey = keys.scheduleLast(schedule.name)
        guard let last = try await redis.send(["GET", lastKey]).string.flatMap({ Int64($0) }) else {
            // First sight of this schedule: slots from now on fire, none from the past.
            _ = try await redis.send(["SET", lastKey, String(Int64(now.timeIntervalSince1970)), "NX"])
            return
        }
        var due: [Date] = []
        var cursor = Date(timeIntervalSince1970: TimeInterval(last))
        while due.count < 100_000, let next = schedule.nextFire(after: cursor), next <= now {
            due.append(next)
            cursor = next
        }
        guard let latest = due.last else { return }
        let slot = Int64(latest.timeIntervalSince1970)
        if try await redis.send(["EXISTS", keys.schedulePaused(schedule.name)]).int == 1 {
            // Paused: its slots pass unfired, so resuming does not fire a backlog.
            try await markHandled(schedule, slot: slot)
            return
        }
        let delay = schedule.jitterDelay(slot: slot)
        let late = now.timeIntervalSince(latest) > Double((configuration.missedAfter + delay).milliseconds) / 1000
        if due.count > 1 || late {
            switch schedule.missed {
            case .skip:
                logger.info("skipping missed slots", metadata: ["schedule": "\(schedule.name)", "missed": "\(due.count)"])
                try await markHandled(schedule, slot: slot)
            case .runOnce:
                try await fire(schedule, slot: slot)
            }
            return
        }
        guard now >= latest.addingTimeInterval(Double(delay.milliseconds) / 1000) else { return }
        try await fire(schedule, slot: slot)
    }

    /// Publishes the schedule's message for `slot` unless another replica did (the slot key), then records the slot.
    private func fire(_ schedule: ScheduleDefinition, slot: Int64) async throws {
        let claimed = try await redis.send(["SET", keys.scheduleSlot(schedule.name, slot: slot), configuration.consumer, "NX", "EX", "172800"])
        if claimed.string == "OK" {
            let (type, payload) = schedule.target.published
            let task = "schedule-\(schedule.name)-\(slot)"
            let envelope = Envelope(type: type, payload: payload.jsonString, task: task, source: "schedule:\(schedule.name)")
            switch schedule.target {
            case .workflow:
                _ = try await queue.submit(envelope, task: task, agent: configuration.agent, stream: keys.inbox(configuration.agent))
            case .message(_, let agent, let stream, _):
                _ = try await queue.submit(envelope, task: task, agent: agent, stream: keys.stream(relative: stream))
            }
            logger.info("schedule fired", metadata: ["schedule": "\(schedule.name)", "slot": "\(slot)", "task": "\(task)"])
        }
        try await markHandled(schedule, slot: slot)
    }

    /// Moves `last` forward to `slot` (never back).
    private func markHandled(_ schedule: ScheduleDefinition, slot: Int64) async throws {
        let script = "local v = tonumber(redis.call('GET', KEYS[1]) or '0') if v < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1]) end return 1"
        _ = try await redis.send(["EVAL", script, "1", keys.scheduleLast(schedule.name), String(slot)])
    }
}
