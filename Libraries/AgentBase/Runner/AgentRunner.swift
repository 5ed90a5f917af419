import Foundation
import Logging
import Metrics
import ServiceLifecycle
import Synchronization

/// Consumes one agent's stream with at-least-once delivery and runs its typed handlers.
///
/// Inside `run()`, one `StreamGroupConsumer` reads this consumer's own pending entries, then new ones, and sweeps
/// entries idle past the visibility timeout, never more than the free handler slots. Each task is begun, then runs
/// as a child of one task group: attempts with a time limit, backoff waits between retries, and its end (state,
/// event, dead letter, XACK) in one atomic step. A maintenance child beats, renews leases, picks up cancel requests
/// and trims. On graceful shutdown it stops reading and waits for the group; a grace child interrupts what is still
/// running after `shutdownGrace`, and that stays pending for the next start or another replica. Every decision is
/// `RunnerStateMachine`'s; this type does the I/O.
public final class AgentRunner: Service, Sendable {
    typealias Machine = RunnerStateMachine<StepCanceller>

    public let configuration: RunnerConfiguration
    let bus: AgentBus
    let handlers: AgentHandlers
    let logger: Logger
    let identity: InstanceIdentity
    let machine: Mutex<Machine>
    let metrics: RunnerMetrics
    /// Yields when a slot is freed or reading should stop (the reading loop waits on it when all slots are taken).
    private let slotFreed = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    /// Finishes when reading has ended and no handler runs any more.
    private let drained = AsyncStream<Void>.makeStream()
    /// Set once the group exists and reading has begun (for `/readyz`).
    public let readiness: Readiness

    public init(configuration: RunnerConfiguration, bus: AgentBus, handlers: AgentHandlers, identity: InstanceIdentity = .current, readiness: Readiness = Readiness(), logger: Logger = Logger(label: "switchboard.runner")) {
        self.configuration = configuration
        self.bus = bus
        self.handlers = handlers
        self.identity = identity
        self.readiness = readiness
        var logger = logger
        logger[metadataKey: "agent"] = "\(configuration.agent)"
        logger[metadataKey: "consumer"] = "\(configuration.consumer)"
        self.logger = logger
        self.machine = Mutex(Machine(concurrency: configuration.concurrency, maxAttempts: configuration.maxAttempts))
        self.metrics = RunnerMetrics(agent: configuration.agent)
    }

    /// Number of handlers running now.
    public var inFlightCount: Int { machine.withLock { $0.inFlightCount } }

    /// Tasks handled to an end (completed, failed or cancelled) by this instance.
    public var processedCount: Int { machine.withLock { $0.processed } }

    /// Pending entries found deleted or trimmed (acked and counted, never handled).
    public var deletedPendingCount: Int { machine.withLock { $0.deletedPending } }

    public func run() async throws {
        var entries = StreamGroupConsumer(
            groups: bus.groups, stream: configuration.stream, group: configuration.group, consumer: configuration.consumer,
            block: configuration.readBlock, reclaimIdle: configuration.visibilityTimeout, logger: logger
        )
        try await prepareGroup(&entries)
        readiness.set(true)
        logger.info("consuming", metadata: ["stream": "\(configuration.stream)", "concurrency": "\(configuration.concurrency)"])
        await withGracefulShutdownHandler {
            await withTaskCancellationHandler {
                await withDiscardingTaskGroup { group in
                    group.addTask { await RunnerMaintenance(runner: self).run() }
                    group.addTask { await self.watchdogLoop() }
                    await withDiscardingTaskGroup { handlers in
                        await self.consume(&entries, into: &handlers)
                        self.drain(&handlers)
                    }
                    group.cancelAll()
                }
            } onCancel: {
                self.interruptAll()
            }
        } onGracefulShutdown: {
            self.logger.info("shutting down: no more reads, waiting for in-flight tasks")
            self.stop()
        }
        readiness.set(false)
        try? await bus.liveness.removeHeartbeat(agent: configuration.agent, instance: configuration.consumer)
        logger.info("stopped", metadata: ["processed": "\(processedCount)", "left_pending": "\(machine.withLock { $0.leftPending })"])
    }

    /// Stops reading; in-flight tasks get the shutdown grace period (same as a graceful shutdown).
    public func stop() {
        readiness.set(false)
        machine.withLock { $0.shutdown() }
        slotFreed.continuation.yield()
    }

    /// Stops reading and interrupts every running step at once (they stay pending).
    private func interruptAll() {
        machine.withLock { for step in $0.interruptAll() { step.cancel() } }
        slotFreed.continuation.yield()
    }

    /// Stops the running step of `task` for `reason`.
    func interrupt(_ task: String, _ reason: Machine.Interruption) {
        machine.withLock { $0.interrupt(task, reason)?.cancel() }
    }

    // MARK: Reading

    private func prepareGroup(_ entries: inout StreamGroupConsumer) async throws {
        var backoff = Backoff(initial: .milliseconds(100), maximum: .seconds(5))
        while true {
            do {
                try await entries.ensureGroup()
                return
            } catch let error as RedisError where error.isTransient {
                if machine.withLock({ $0.stopping }) || Task.isCancelled { throw error }
                logger.warning("waiting for Redis", metadata: ["error": "\(error)"])
                try await Task.sleep(for: backoff.next())
            }
        }
    }

    /// Reads batches no larger than the free slots and starts their tasks as children of `handlers`, until stopped.
    private func consume(_ entries: inout StreamGroupConsumer, into handlers: inout DiscardingTaskGroup) async {
        var freed = slotFreed.stream.makeAsyncIterator()
        while !Task.isCancelled {
            let slots: Int
            switch machine.withLock({ $0.nextRead(batchSize: configuration.batchSize) }) {
            case .stop:
                return
            case .waitForSlot:
                if await freed.next() == nil { return }
                continue
            case .read(let reserved):
                slots = reserved
            }
            let batch = await entries.next(upTo: slots)
            if batch.source == .reclaimed && !batch.fetched.entries.isEmpty {
                metrics.reclaimed.increment(by: Int64(batch.fetched.entries.count))
            }
            let runs = await dispatch(batch.fetched, acking: entries)
            machine.withLock { $0.release(slots - runs.count) }
            for run in runs {
                handlers.addTask { await self.execute(run) }
            }
        }
    }

    /// After reading has stopped: unless nothing runs, a grace child interrupts what still runs after `shutdownGrace`.
    private func drain(_ handlers: inout DiscardingTaskGroup) {
        let inFlight = machine.withLock { $0.readingEnded() }
        if inFlight == 0 {
            drained.continuation.finish()
            return
        }
        logger.info("draining", metadata: ["in_flight": "\(inFlight)", "grace": "\(configuration.shutdownGrace)"])
        handlers.addTask {
            let drainedInTime = try? await withDeadline(.now + self.configuration.shutdownGrace) {
                _ = await self.drained.stream.first { _ in true }
                return true
            }
            if drainedInTime == nil {
                self.logger.warning("grace period over; interrupting in-flight tasks, they stay pending", metadata: ["count": "\(self.inFlightCount)"])
                self.interruptAll()
            }
        }
    }

    /// A task `begin` said to run, with its handler.
    struct HandlerRun: Sendable {
        var job: PreparedJob
        var start: TaskStart
        var attempt: Int
    }

    /// Sorts a batch into rejects, control messages and tasks to begin; returns the tasks to run now.
    private func dispatch(_ fetched: Fetched, acking entries: StreamGroupConsumer) async -> [HandlerRun] {
        if !fetched.deletedIDs.isEmpty {
            metrics.deletedPending.increment(by: Int64(fetched.deletedIDs.count))
            machine.withLock { $0.deletedPendingFound(fetched.deletedIDs.count) }
            logger.warning("pending entries were deleted or trimmed; acking them", metadata: ["ids": "\(fetched.deletedIDs.joined(separator: ","))"])
            try? await withBrokerRetries("ack deleted") { try await entries.ack(fetched.deletedIDs) }
        }
        if fetched.entries.isEmpty { return [] }
        metrics.received.increment(by: Int64(fetched.entries.count))

        var rejects: [TaskOutcome] = []
        var controlAcks: [String] = []
        var starts: [TaskStart] = []
        var startedEntries: [StreamEntry] = []
        var jobs: [PreparedJob] = []
        for entry in fetched.entries {
            let envelope: Envelope
            do {
                envelope = try Envelope(fields: entry.fields ?? [], keys: bus.keys)
            } catch {
                rejects.append(rejection(error, entry: entry, envelope: Envelope(type: entry["type"] ?? "", payload: entry["payload"] ?? "", task: entry["task"])))
                continue
            }
            if envelope.type == TaskCancel.type {
                if let cancel = try? JSONDecoder().decode(TaskCancel.self, from: Data(envelope.payload.utf8)) {
                    interrupt(cancel.task, .cancelled)
                }
                controlAcks.append(entry.id)
                continue
            }
            let task = envelope.task ?? entry.id
            if machine.withLock({ $0.isRunning(task) }) { continue }  // still running here; the lease is ours
            do {
                jobs.append(try handlers.prepare(envelope, agent: configuration.agent))
                let idempotency = envelope.idempotencyKey.map { bus.keys.idempotency(configuration.agent, $0) }
                starts.append(TaskStart(task: task, entryID: entry.id, envelope: envelope, agent: configuration.agent, idempotencyKey: idempotency))
                startedEntries.append(entry)
            } catch {
                rejects.append(rejection(error, entry: entry, envelope: envelope))
            }
        }
        if !controlAcks.isEmpty {
            let controlAcks = controlAcks
            try? await withBrokerRetries("ack control") { try await entries.ack(controlAcks) }
        }
        for reject in rejects {
            logger.warning("dead-lettered a message", metadata: ["task": "\(reject.task)", "reason": "\(reject.failure?.reason ?? "")"])
        }
        await deadLetter(rejects)
        if starts.isEmpty { return [] }
        let batch = starts

        let verdicts: [StartVerdict]
        do {
            verdicts = try await withBrokerRetries("begin") {
                try await self.bus.tasks.begin(batch, stream: self.configuration.stream, group: self.configuration.group, maxAttempts: self.configuration.maxAttempts, instance: self.configuration.consumer)
            }
        } catch {
            return []  // left pending; reclaimed later
        }
        var runs: [HandlerRun] = []
        var ended: [TaskOutcome] = []
        for (index, verdict) in verdicts.enumerated() {
            let start = starts[index]
            switch machine.withLock({ $0.begun(start.task, entryID: start.entryID, verdict: verdict) }) {
            case .run(let attempt):
                runs.append(HandlerRun(job: jobs[index], start: start, attempt: attempt))
            case .deadLetter(let code, let reason, let attempts):
                ended.append(deadLetter(start, code: code, reason: reason, attempts: attempts))
            case .rejectReplyTo(let keyType):
                // Dead-lettered without its reply_to, so not even the failure is written to that key.
                var envelope = start.envelope
                envelope.replyTo = nil
                let rejected = rejection(MessageRejection.replyNotStream(start.envelope.replyTo ?? "", type: keyType), entry: startedEntries[index], envelope: envelope)
                logger.warning("dead-lettered a message", metadata: ["task": "\(start.task)", "reason": "\(rejected.failure?.reason ?? "")"])
                ended.append(rejected)
            case .duplicate(let owner):
                metrics.duplicates.increment()
                logger.info("duplicate of a completed task; result copied", metadata: ["task": "\(start.task)", "duplicate_of": "\(owner)"])
            case .deferred(let owner):
                logger.info("same idempotency key is still running elsewhere; leaving this one pending", metadata: ["task": "\(start.task)", "owner": "\(owner)"])
            case .none:
                break
            }
        }
        await deadLetter(ended)
        metrics.inFlight.record(machine.withLock { $0.inFlightCount })
        return runs
    }

    private func deadLetter(_ outcomes: [TaskOutcome]) async {
        if outcomes.isEmpty { return }
        metrics.deadLettered.increment(by: Int64(outcomes.count))
        try? await withBrokerRetries("dead-letter") { try await self.bus.tasks.finish(outcomes) }
    }

    private func rejection(_ error: any Error, entry: StreamEntry, envelope: Envelope) -> TaskOutcome {
        let rejection = error as? MessageRejection ?? MessageRejection(code: .badMessage, reason: "\(error)")
        return deadLetter(
            task: envelope.task ?? entry.id, entryID: entry.id, envelope: envelope, fields: entry.fields ?? [],
            code: rejection.code.rawValue, reason: rejection.reason, attempts: 1
        )
    }

    func deadLetter(_ start: TaskStart, code: String, reason: String, attempts: Int) -> TaskOutcome {
        deadLetter(task: start.task, entryID: start.entryID, envelope: start.envelope, fields: start.envelope.fields, code: code, reason: reason, attempts: attempts)
    }

    private func deadLetter(task: String, entryID: String, envelope: Envelope, fields: [(String, String)], code: String, reason: String, attempts: Int) -> TaskOutcome {
        .deadLettered(
            task: task, entryID: entryID, envelope: envelope, fields: fields, agent: configuration.agent, stream: configuration.stream,
            group: configuration.group, deadLetters: bus.keys.deadLetters(configuration.agent), code: code, reason: reason, attempts: attempts
        )
    }

    /// Retries a broker call on connection trouble for up to about a minute (Redis restarting).
    func withBrokerRetries<T: Sendable>(_ step: String, _ body: @Sendable () async throws -> T) async throws -> T {
        var backoff = Backoff(initial: .milliseconds(100), maximum: .seconds(2))
        let deadline = ContinuousClock.now + .seconds(60)
        while true {
            do {
                return try await body()
            } catch let error as RedisError where error.isTransient && ContinuousClock.now < deadline {
                logger.warning("broker unavailable; retrying", metadata: ["step": "\(step)", "error": "\(error)"])
                try? await Task.sleep(for: backoff.next())
            }
        }
    }

    /// Takes `task` off its slot once its child ends; wakes the reading loop, and the drain when it was the last.
    func ended(_ task: String) {
        let (end, count) = machine.withLock { ($0.ended(task), $0.inFlightCount) }
        metrics.inFlight.record(count)
        slotFreed.continuation.yield()
        if end == .drained { drained.continuation.finish() }
    }
}
