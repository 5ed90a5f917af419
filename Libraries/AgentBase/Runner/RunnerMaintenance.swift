import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// The runner's upkeep as its own `Service`: heartbeats, lease renewal of running tasks and cancel requests every
/// heartbeat period; the trim of handled requests and the removal of consumers that are gone every trim interval.
/// The runner runs it as a child of its task group, so it keeps renewing leases while the runner drains and ends when
/// the last task has.
struct RunnerMaintenance: Service {
    private let runner: AgentRunner
    private let configuration: RunnerConfiguration
    private let bus: AgentBus
    private let logger: Logger

    init(runner: AgentRunner) {
        self.runner = runner
        configuration = runner.configuration
        bus = runner.bus
        logger = runner.logger
    }

    func run() async {
        let beatEvery = min(configuration.heartbeatInterval, configuration.visibilityTimeout / 3)
        var lastBeat = ContinuousClock.now - beatEvery
        var lastTrim = ContinuousClock.now
        while !Task.isCancelled {
            let now = ContinuousClock.now
            if now - lastBeat >= beatEvery {
                lastBeat = now
                await beat(ttl: max(beatEvery * 3, .seconds(3)))
            }
            if let retention = configuration.retention, now - lastTrim >= configuration.trimInterval {
                lastTrim = now
                await trim(retention: retention)
            }
            do { try await Task.sleep(for: configuration.watchdogInterval) } catch { return }
        }
    }

    private func trim(retention: Duration) async {
        do {
            let removed = try await bus.groups.trimProcessed(stream: configuration.stream, group: configuration.group, retention: retention)
            if removed > 0 { logger.debug("trimmed handled requests", metadata: ["removed": "\(removed)"]) }
            let gone = try await bus.groups.removeIdleConsumers(
                stream: configuration.stream, group: configuration.group, idle: configuration.consumerExpiry, keeping: configuration.consumer
            )
            if !gone.isEmpty { logger.info("removed consumers of replicas that are gone", metadata: ["consumers": "\(gone.joined(separator: ","))"]) }
            let expired = try await bus.tasks.trimTaskIndex()
            if expired > 0 { logger.debug("trimmed the task index", metadata: ["removed": "\(expired)"]) }
        } catch {
            logger.warning("could not trim the stream", metadata: ["error": "\(error)"])
        }
    }

    private func beat(ttl: Duration) async {
        let (inFlight, processed, failed) = runner.machine.withLock { ($0.inFlight, $0.processed, $0.failed) }
        do {
            try await bus.groups.extendLeases(stream: configuration.stream, group: configuration.group, consumer: configuration.consumer, ids: inFlight.map(\.entryID))
            for task in try await bus.tasks.cancelRequested(tasks: inFlight.map(\.task)) {
                logger.info("cancel requested", metadata: ["task": "\(task)"])
                runner.interrupt(task, .cancelled)
            }
            let heartbeat = Heartbeat(
                agent: configuration.agent, instance: configuration.consumer, host: runner.identity.host, pid: runner.identity.pid,
                version: runner.identity.version, started: runner.identity.started, inFlight: inFlight.count, processed: processed, failed: failed,
                seenAt: Int64(Date().timeIntervalSince1970 * 1000), ttlMs: Int64(ttl.milliseconds)
            )
            try await bus.liveness.heartbeat(heartbeat, ttl: ttl)
        } catch {
            logger.warning("heartbeat failed", metadata: ["error": "\(error)"])
        }
    }
}
