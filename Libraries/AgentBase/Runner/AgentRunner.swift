import Foundation
import Logging
import Metrics
import ServiceLifecycle
import Synchronization

/// Consumes one agent's stream with at-least-once delivery and runs its typed handlers.
///
/// On start it ensures the consumer group and drains this consumer's own pending entries, then reads
/// new ones in batches no larger than its free handler slots. Each task is begun, run with a time
/// limit, retried with backoff when the error is retryable, and finished (state, event, dead letter,
/// XACK) in one atomic step. Entries of crashed replicas are reclaimed after the visibility timeout;
/// entries this replica is still working on have their lease renewed so nobody else takes them.
/// On graceful shutdown it stops reading, gives in-flight handlers `shutdownGrace` to finish, and
/// leaves whatever did not finish pending for the next start or another replica.
public final class AgentRunner: Service, Sendable {
    public let configuration: RunnerConfiguration
    let broker: any MessageBroker
    let handlers: AgentHandlers
    let logger: Logger
    private let identity: InstanceIdentity
    private let gate: CapacityGate
    private let state = Mutex(RunnerState())
    private let metrics: RunnerMetrics
    /// Set once the group exists and reading has begun (for `/readyz`).
    public let readiness: Readiness

    public init(configuration: RunnerConfiguration, broker: any MessageBroker, handlers: AgentHandlers, identity: InstanceIdentity = .current, readiness: Readiness = Readiness(), logger: Logger = Logger(label: "switchboard.runner")) {
        self.configuration = configuration
        self.broker = broker
        self.handlers = handlers
        self.identity = identity
        self.readiness = readiness
        var logger = logger
        logger[metadataKey: "agent"] = "\(configuration.agent)"
        logger[metadataKey: "consumer"] = "\(configuration.consumer)"
        self.logger = logger
        self.gate = CapacityGate(slots: configuration.concurrency)
        self.metrics = RunnerMetrics(agent: configuration.agent)
    }

    /// Number of handlers running now.
    public var inFlightCount: Int { state.withLock { $0.inFlight.count } }

    /// Tasks handled to an end (completed, failed or cancelled) by this instance.
    public var processedCount: Int { state.withLock { $0.processed } }

    /// Pending entries found deleted or trimmed (acked and counted, never handled).
    public var deletedPendingCount: Int { state.withLock { $0.deletedPending } }

    public func run() async throws {
        try await prepareGroup()
        readiness.set(true)
        logger.info("consuming", metadata: ["stream": "\(configuration.stream)", "concurrency": "\(configuration.concurrency)"])
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                group.addTask { await self.maintenanceLoop() }
                await withTaskCancellationHandler {
                    await self.fetchLoop()
                } onCancel: {
                    self.stop()
                }
                await self.drainInFlight()
                self.stop()
                group.cancelAll()
            }
        } onGracefulShutdown: {
            self.logger.info("shutting down: no more reads, waiting for in-flight tasks")
            self.stop()
        }
        readiness.set(false)
        try? await broker.removeHeartbeat(agent: configuration.agent, instance: configuration.consumer)
        logger.info("stopped", metadata: ["processed": "\(processedCount)", "left_pending": "\(state.withLock { $0.leftPending })"])
    }

    /// Stops reading; in-flight tasks get the shutdown grace period (same as a graceful shutdown).
    public func stop() {
        state.withLock { $0.stopping = true }
        gate.close()
    }

    private var stopping: Bool {
        state.withLock { $0.stopping } || Task.isCancelled
    }

    // MARK: Reading

    private func prepareGroup() async throws {
        var backoff = Backoff(initial: .milliseconds(100), maximum: .seconds(5))
        while true {
            do {
                try await broker.ensureGroup(stream: configuration.stream, group: configuration.group)
                return
            } catch let error as RedisError where error.isTransient {
                if stopping { throw error }
                logger.warning("waiting for Redis", metadata: ["error": "\(error)"])
                try await Task.sleep(for: backoff.next())
            }
        }
    }

    /// Reads own pending entries first, then new ones; every so often takes over idle entries of
    /// other consumers instead (in this same loop, so reads and reclaims share the free slots fairly).
    private func fetchLoop() async {
        var after = "0"
        var drainingOwnPending = true
        let reclaimEvery = min(max(configuration.visibilityTimeout / 2, .milliseconds(100)), .seconds(30))
        var nextReclaim = ContinuousClock.now + reclaimEvery
        while !stopping {
            let slots = await gate.acquire(upTo: configuration.batchSize)
            if slots == 0 { break }
            if !drainingOwnPending && ContinuousClock.now >= nextReclaim {
                await reclaim(slots: slots)
                nextReclaim = ContinuousClock.now + reclaimEvery
                continue
            }
            do {
                let fetched = try await broker.read(
                    stream: configuration.stream, group: configuration.group, consumer: configuration.consumer,
                    count: slots, block: configuration.readBlock, history: drainingOwnPending, after: after
                )
                if drainingOwnPending {
                    if fetched.entries.isEmpty && fetched.deletedIDs.isEmpty {
                        drainingOwnPending = false
                        gate.release(slots)
                        continue
                    }
                    after = (fetched.entries.map(\.id) + fetched.deletedIDs).max(by: StreamID.less) ?? after
                    logger.info("resuming own pending entries", metadata: ["count": "\(fetched.entries.count + fetched.deletedIDs.count)"])
                }
                await dispatch(fetched, slots: slots)
            } catch {
                gate.release(slots)
                await recover(from: error, during: "read")
            }
        }
    }

    /// One XAUTOCLAIM sweep over entries idle past the visibility timeout, using the given slots.
    private func reclaim(slots: Int) async {
        var cursor = "0-0"
        var slots = slots
        while true {
            do {
                let (fetched, next) = try await broker.reclaim(
                    stream: configuration.stream, group: configuration.group, consumer: configuration.consumer,
                    minIdle: configuration.visibilityTimeout, count: slots, cursor: cursor
                )
                if !fetched.entries.isEmpty {
                    metrics.reclaimed.increment(by: Int64(fetched.entries.count))
                    logger.info("reclaimed idle entries", metadata: ["count": "\(fetched.entries.count)"])
                }
                await dispatch(fetched, slots: slots)
                cursor = next
            } catch {
                gate.release(slots)
                await recover(from: error, during: "reclaim")
                return
            }
            if cursor == "0-0" || stopping { return }
            slots = gate.tryAcquire(upTo: configuration.batchSize)
            if slots == 0 { return }
        }
    }

    private func recover(from error: any Error, during step: String) async {
        if let redisError = error as? RedisError, redisError.isNoGroup {
            logger.warning("consumer group or stream is gone; recreating it", metadata: ["step": "\(step)"])
            try? await broker.ensureGroup(stream: configuration.stream, group: configuration.group)
            return
        }
        logger.warning("broker error; retrying", metadata: ["step": "\(step)", "error": "\(error)"])
        try? await Task.sleep(for: .milliseconds(200))
    }

    // MARK: Dispatch

    /// Sorts a batch into rejects, control messages and tasks to begin; starts the runnable ones.
    /// `slots` were taken for this batch; every one not used by a started task is released.
    private func dispatch(_ fetched: Fetched, slots: Int) async {
        var unusedSlots = slots
        defer { gate.release(unusedSlots) }
        if !fetched.deletedIDs.isEmpty {
            metrics.deletedPending.increment(by: Int64(fetched.deletedIDs.count))
            state.withLock { $0.deletedPending += fetched.deletedIDs.count }
            logger.warning("pending entries were deleted or trimmed; acking them", metadata: ["ids": "\(fetched.deletedIDs.joined(separator: ","))"])
            try? await withBrokerRetries("ack deleted") {
                try await self.broker.ack(stream: self.configuration.stream, group: self.configuration.group, ids: fetched.deletedIDs)
            }
        }
        if fetched.entries.isEmpty { return }
        metrics.received.increment(by: Int64(fetched.entries.count))

        var rejects: [TaskOutcome] = []
        var controlAcks: [String] = []
        var starts: [TaskStart] = []
        var startedEntries: [StreamEntry] = []
        var jobs: [PreparedJob] = []
        let localTasks = state.withLock { Set($0.inFlight.keys) }
        for entry in fetched.entries {
            let envelope: Envelope
            do {
                envelope = try Envelope(fields: entry.fields ?? [], keys: broker.keys)
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
            if localTasks.contains(task) { continue }  // still running here; the lease is ours
            do {
                jobs.append(try handlers.prepare(envelope, agent: configuration.agent))
                let idempotency = envelope.idempotencyKey.map { broker.keys.idempotency(configuration.agent, $0) }
                starts.append(TaskStart(task: task, entryID: entry.id, envelope: envelope, agent: configuration.agent, idempotencyKey: idempotency))
                startedEntries.append(entry)
            } catch {
                rejects.append(rejection(error, entry: entry, envelope: envelope))
            }
        }
        if !controlAcks.isEmpty {
            let controlAcks = controlAcks
            try? await withBrokerRetries("ack control") {
                try await self.broker.ack(stream: self.configuration.stream, group: self.configuration.group, ids: controlAcks)
            }
        }
        if !rejects.isEmpty {
            let rejects = rejects
            metrics.deadLettered.increment(by: Int64(rejects.count))
            for reject in rejects {
                logger.warning("dead-lettered a message", metadata: ["task": "\(reject.task)", "reason": "\(reject.failure?.reason ?? "")"])
            }
            try? await withBrokerRetries("dead-letter") { try await self.broker.finish(rejects) }
        }
        if starts.isEmpty { return }
        let batch = starts

        let verdicts: [StartVerdict]
        do {
            verdicts = try await withBrokerRetries("begin") {
                try await self.broker.begin(batch, stream: self.configuration.stream, group: self.configuration.group, maxAttempts: self.configuration.maxAttempts, instance: self.configuration.consumer)
            }
        } catch {
            return  // left pending; reclaimed later
        }
        var ended: [TaskOutcome] = []
        for (index, verdict) in verdicts.enumerated() {
            let start = starts[index]
            switch verdict {
            case .run(let attempt):
                guard unusedSlots > 0 else { continue }
                unusedSlots -= 1
                launch(jobs[index], start: start, attempt: attempt)
            case .exhausted(let attempts, let lastError):
                let reason = "gave up after \(attempts - 1) attempts" + (lastError.isEmpty ? " (the handler never finished: crash or lost lease)" : ": \(lastError)")
                ended.append(deadLetter(start, code: "max_attempts", reason: reason, attempts: attempts - 1))
            case .invalidReplyTo(let keyType):
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
            case .done, .cancelled:
                break
            }
        }
        if !ended.isEmpty {
            let ended = ended
            metrics.deadLettered.increment(by: Int64(ended.count))
            try? await withBrokerRetries("dead-letter") { try await self.broker.finish(ended) }
        }
    }

    private func rejection(_ error: any Error, entry: StreamEntry, envelope: Envelope) -> TaskOutcome {
        let rejection = error as? MessageRejection ?? MessageRejection(code: .badMessage, reason: "\(error)")
        let start = TaskStart(task: envelope.task ?? entry.id, entryID: entry.id, envelope: envelope, agent: configuration.agent, idempotencyKey: nil)
        var outcome = deadLetter(start, code: rejection.code.rawValue, reason: rejection.reason, attempts: 1)
        outcome.deadLetter?.fields = (entry.fields ?? []) + deadLetterMetadata(entry: entry.id, code: rejection.code.rawValue, reason: rejection.reason, attempts: 1)
        return outcome
    }

    private func deadLetter(_ start: TaskStart, code: String, reason: String, attempts: Int) -> TaskOutcome {
        let failure = TaskFailure(error: code, reason: reason, retryable: false)
        return TaskOutcome(
            task: start.task, envelope: start.envelope, agent: configuration.agent, status: .failed,
            eventPayload: (try? JSONCoding.string(failure)) ?? "{}", failure: failure,
            ack: (configuration.stream, configuration.group, start.entryID),
            deadLetter: (broker.keys.deadLetters(configuration.agent), start.envelope.fields + deadLetterMetadata(entry: start.entryID, code: code, reason: reason, attempts: attempts))
        )
    }

    private func deadLetterMetadata(entry: String, code: String, reason: String, attempts: Int) -> [(String, String)] {
        [
            (DeadLetterFields.entry, entry), (DeadLetterFields.stream, configuration.stream), (DeadLetterFields.agent, configuration.agent),
            (DeadLetterFields.attempts, String(attempts)), (DeadLetterFields.error, code), (DeadLetterFields.reason, reason),
            (DeadLetterFields.failedAt, ISO8601.now()),
        ]
    }

    // MARK: Running a task

    private func launch(_ job: @escaping PreparedJob, start: TaskStart, attempt: Int) {
        let count = state.withLock { state -> Int in
            state.inFlight[start.task] = InFlight(entryID: start.entryID, deadline: .now + configuration.timeout)
            return state.inFlight.count
        }
        metrics.inFlight.record(count)
        Task {
            await self.execute(job, start: start, attempt: attempt)
            let remaining = self.state.withLock { state -> Int in
                state.inFlight[start.task] = nil
                if state.inFlight.isEmpty {
                    for waiter in state.drainWaiters { waiter.resume() }
                    state.drainWaiters.removeAll()
                }
                return state.inFlight.count
            }
            self.metrics.inFlight.record(remaining)
            self.gate.release()
        }
    }

    private func execute(_ job: @escaping PreparedJob, start: TaskStart, attempt firstAttempt: Int) async {
        var attempt = firstAttempt
        let started = ContinuousClock.now
        while true {
            let context = TaskContext(task: start.task, agent: configuration.agent, attempt: attempt, envelope: start.envelope, logger: logger, broker: broker)
            let run = Task { try await TaskContext.$current.withValue(context) { try await job(context) } }
            if !setCurrent(start.task, deadline: .now + configuration.timeout, cancel: { run.cancel() }) { run.cancel() }
            let result = await run.result
            let interruption = state.withLock { state -> Interruption? in
                state.inFlight[start.task]?.cancel = nil
                return state.inFlight[start.task]?.interruption
            }
            if case .success(let json) = result {
                metrics.handlerDuration.recordInterval(since: started)
                await record(start, status: .completed, payload: json, result: json, failure: nil, logger: context.logger)
                return
            }
            if interruption == .shutdown {
                state.withLock { $0.leftPending += 1 }
                context.logger.info("interrupted by shutdown; left pending for another replica")
                return
            }
            if interruption == .cancelled {
                await recordCancelled(start, logger: context.logger)
                return
            }
            let (message, code, retryable): (String, String, Bool)
            if interruption == .timeout {
                (message, code, retryable) = ("timed out after \(configuration.timeout)", "timeout", true)
            } else if case .failure(let error) = result {
                (message, code, retryable) = AgentError.classify(error)
            } else {
                return
            }
            if !retryable {
                let failure = TaskFailure(error: code, reason: message, retryable: false)
                await record(start, status: .failed, payload: (try? JSONCoding.string(failure)) ?? "{}", result: nil, failure: failure, logger: context.logger)
                return
            }
            if attempt >= configuration.maxAttempts {
                metrics.deadLettered.increment()
                let outcome = deadLetter(start, code: code == "timeout" ? "timeout" : "max_attempts", reason: "gave up after \(attempt) attempts: \(message)", attempts: attempt)
                context.logger.warning("dead-lettered after retries", metadata: ["reason": "\(message)"])
                await finishTask(outcome)
                return
            }
            let delay = configuration.backoffDelay(afterAttempt: attempt)
            metrics.retried.increment()
            context.logger.info("retrying", metadata: ["attempt": "\(attempt)", "delay": "\(delay)", "error": "\(message)"])
            let next = (try? await broker.recordRetry(task: start.task, error: message, message: "attempt \(attempt) failed: \(message); retrying in \(delay)")) ?? attempt + 1
            attempt = next > attempt ? next : attempt + 1
            let sleeper = Task { try await Task.sleep(for: delay) }
            if !setCurrent(start.task, deadline: nil, cancel: { sleeper.cancel() }) { sleeper.cancel() }
            _ = await sleeper.result
            switch state.withLock({ $0.inFlight[start.task]?.interruption }) {
            case .shutdown?:
                state.withLock { $0.leftPending += 1 }
                return
            case .cancelled?:
                await recordCancelled(start, logger: context.logger)
                return
            default:
                continue
            }
        }
    }

    /// Records what cancels the current step; returns false if the task was interrupted already.
    private func setCurrent(_ task: String, deadline: ContinuousClock.Instant?, cancel: @escaping @Sendable () -> Void) -> Bool {
        state.withLock { state in
            guard state.inFlight[task] != nil else { return false }
            if let interruption = state.inFlight[task]?.interruption, interruption != .timeout { return false }
            state.inFlight[task]?.interruption = nil
            state.inFlight[task]?.cancel = cancel
            state.inFlight[task]?.deadline = deadline
            return true
        }
    }

    private func interrupt(_ task: String, _ reason: Interruption) {
        let cancel = state.withLock { state -> (@Sendable () -> Void)? in
            guard state.inFlight[task] != nil, state.inFlight[task]?.interruption == nil || reason != .timeout else { return nil }
            state.inFlight[task]?.interruption = reason
            return state.inFlight[task]?.cancel
        }
        cancel?()
    }

    private func recordCancelled(_ start: TaskStart, logger: Logger) async {
        logger.info("cancelled")
        await record(start, status: .cancelled, payload: #"{"reason":"cancelled on request"}"#, result: nil, failure: nil, logger: logger)
    }

    private func record(_ start: TaskStart, status: TaskStatus, payload: String, result: String?, failure: TaskFailure?, logger: Logger) async {
        let outcome = TaskOutcome(
            task: start.task, envelope: start.envelope, agent: configuration.agent, status: status,
            eventPayload: payload, result: result, failure: failure, ack: (configuration.stream, configuration.group, start.entryID)
        )
        await finishTask(outcome)
        switch status {
        case .completed: metrics.completed.increment()
        case .failed: metrics.failed.increment()
        default: break
        }
    }

    private func finishTask(_ outcome: TaskOutcome) async {
        do {
            try await withBrokerRetries("finish") { try await self.broker.finish([outcome]) }
            metrics.acked.increment()
            state.withLock {
                $0.processed += 1
                if outcome.status != .completed { $0.failed += 1 }
            }
        } catch {
            logger.error("could not record the outcome; the entry stays pending and will be retried", metadata: ["task": "\(outcome.task)", "error": "\(error)"])
        }
    }

    /// Retries a broker call on connection trouble for up to about a minute (Redis restarting).
    private func withBrokerRetries<T: Sendable>(_ step: String, _ body: @Sendable () async throws -> T) async throws -> T {
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

    // MARK: Maintenance

    /// Deadlines every tick; heartbeat, lease renewal and cancel requests every heartbeat period.
    private func maintenanceLoop() async {
        let beatEvery = min(configuration.heartbeatInterval, configuration.visibilityTimeout / 3)
        var lastBeat = ContinuousClock.now - beatEvery
        var lastTrim = ContinuousClock.now
        while !Task.isCancelled {
            let now = ContinuousClock.now
            let expired = state.withLock { state in
                state.inFlight.filter { $0.value.interruption == nil && ($0.value.deadline.map { $0 < now } ?? false) }.map(\.key)
            }
            for task in expired {
                logger.warning("handler exceeded its time limit; cancelling it", metadata: ["task": "\(task)"])
                interrupt(task, .timeout)
            }
            if now - lastBeat >= beatEvery {
                lastBeat = now
                await beat(ttl: max(beatEvery * 3, .seconds(3)))
            }
            if let retention = configuration.retention, now - lastTrim >= configuration.trimInterval {
                lastTrim = now
                do {
                    let removed = try await broker.trimProcessed(stream: configuration.stream, group: configuration.group, retention: retention)
                    if removed > 0 { logger.debug("trimmed handled requests", metadata: ["removed": "\(removed)"]) }
                    let gone = try await broker.removeIdleConsumers(
                        stream: configuration.stream, group: configuration.group, idle: configuration.consumerExpiry, keeping: configuration.consumer
                    )
                    if !gone.isEmpty { logger.info("removed consumers of replicas that are gone", metadata: ["consumers": "\(gone.joined(separator: ","))"]) }
                } catch {
                    logger.warning("could not trim the stream", metadata: ["error": "\(error)"])
                }
            }
            do { try await Task.sleep(for: configuration.watchdogInterval) } catch { return }
        }
    }

    private func beat(ttl: Duration) async {
        let (tasks, entries, processed, failed) = state.withLock { state in
            (Array(state.inFlight.keys), state.inFlight.values.map(\.entryID), state.processed, state.failed)
        }
        do {
            try await broker.extendLeases(stream: configuration.stream, group: configuration.group, consumer: configuration.consumer, ids: entries)
            for task in try await broker.cancelRequested(tasks: tasks) {
                logger.info("cancel requested", metadata: ["task": "\(task)"])
                interrupt(task, .cancelled)
            }
            let heartbeat = Heartbeat(
                agent: configuration.agent, instance: configuration.consumer, host: identity.host, pid: identity.pid,
                version: identity.version, started: identity.started, inFlight: tasks.count, processed: processed, failed: failed,
                seenAt: Int64(Date().timeIntervalSince1970 * 1000), ttlMs: Int64(ttl.milliseconds)
            )
            try await broker.heartbeat(heartbeat, ttl: ttl)
        } catch {
            logger.warning("heartbeat failed", metadata: ["error": "\(error)"])
        }
    }

    /// Waits for in-flight tasks; after the grace period interrupts them (they stay pending).
    private func drainInFlight() async {
        if inFlightCount == 0 { return }
        logger.info("draining", metadata: ["in_flight": "\(inFlightCount)", "grace": "\(configuration.shutdownGrace)"])
        let graceTimer = Task {
            try await Task.sleep(for: configuration.shutdownGrace)
            let tasks = state.withLock { Array($0.inFlight.keys) }
            logger.warning("grace period over; interrupting in-flight tasks, they stay pending", metadata: ["count": "\(tasks.count)"])
            for task in tasks { interrupt(task, .shutdown) }
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let done = state.withLock { state -> Bool in
                    if state.inFlight.isEmpty { return true }
                    state.drainWaiters.append(continuation)
                    return false
                }
                if done { continuation.resume() }
            }
        } onCancel: {
            let tasks = state.withLock { Array($0.inFlight.keys) }
            for task in tasks { interrupt(task, .shutdown) }
        }
        graceTimer.cancel()
    }
}

/// Why a running handler is being stopped.
enum Interruption: Sendable, Hashable {
    case timeout
    case cancelled
    case shutdown
}

struct InFlight {
    var entryID: String
    var deadline: ContinuousClock.Instant?
    var interruption: Interruption?
    var cancel: (@Sendable () -> Void)?
}

struct RunnerState {
    var inFlight: [String: InFlight] = [:]
    var stopping = false
    var processed = 0
    var failed = 0
    var leftPending = 0
    var deletedPending = 0
    var drainWaiters: [CheckedContinuation<Void, Never>] = []
}

/// Stream ids (`<ms>-<seq>`) compared as numbers.
enum StreamID {
    static func less(_ a: String, _ b: String) -> Bool {
        func parts(_ id: String) -> (UInt64, UInt64) {
            let split = id.split(separator: "-")
            return (UInt64(split.first ?? "0") ?? 0, UInt64(split.count > 1 ? split[1] : "0") ?? 0)
        }
        return parts(a) < parts(b)
    }
}
