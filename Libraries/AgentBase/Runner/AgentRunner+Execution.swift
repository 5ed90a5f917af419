import CoreMetrics
import Logging
import Synchronization

/// One task as a child of the runner's task group: attempts raced against their deadline and interruptions,
/// backoff waits between them, and the outcome recorded.
extension AgentRunner {
    func execute(_ run: HandlerRun) async {
        await perform(run)
        ended(run.start.task)
    }

    private func perform(_ run: HandlerRun) async {
        let start = run.start
        var attempt = run.attempt
        let started = ContinuousClock.now
        while true {
            let context = TaskContext(task: start.task, agent: configuration.agent, attempt: attempt, envelope: start.envelope, logger: logger, bus: bus)
            let (value, result) = await runAttempt(run.job, context: context)
            let action = machine.withLock { $0.attemptEnded(start.task, attempt: attempt, result: result, timeout: configuration.timeout) }
            switch action {
            case .complete:
                metrics.handlerDuration.recordInterval(since: started)
                await record(start, status: .completed, payload: value?.json ?? "null", result: value?.json, text: value?.text, failure: nil)
                return
            case .fail(let failure):
                await record(start, status: .failed, payload: (try? JSONCoding.string(failure)) ?? "{}", result: nil, failure: failure)
                return
            case .cancel:
                await recordCancelled(start, logger: context.logger)
                return
            case .leavePending:
                context.logger.info("interrupted by shutdown; left pending for another replica")
                return
            case .deadLetter(let code, let reason, let attempts):
                metrics.deadLettered.increment()
                context.logger.warning("dead-lettered after retries", metadata: ["reason": "\(reason)"])
                await finishTask(deadLetter(start, code: code, reason: reason, attempts: attempts))
                return
            case .retry(let message, let failed):
                let delay = configuration.backoffDelay(afterAttempt: failed)
                metrics.retried.increment()
                context.logger.info("retrying", metadata: ["attempt": "\(failed)", "delay": "\(delay)", "error": "\(message)"])
                let next = (try? await bus.tasks.recordRetry(task: start.task, error: message, message: "attempt \(failed) failed: \(message); retrying in \(delay)")) ?? failed + 1
                attempt = next > failed ? next : failed + 1
                await waitBackoff(start.task, delay: delay)
                switch machine.withLock({ $0.backoffEnded(start.task) }) {
                case .runAgain:
                    continue
                case .cancel:
                    await recordCancelled(start, logger: context.logger)
                    return
                case .leavePending:
                    return
                }
            }
        }
    }

    /// Runs the handler once, until it ends or it is interrupted (its time limit passed — the watchdog's tick —, a
    /// cancel request, a shutdown); the state machine knows which interruption it was.
    private func runAttempt(_ job: @escaping PreparedJob, context: TaskContext) async -> (HandlerOutput?, Machine.AttemptResult) {
        let deadline = ContinuousClock.now + configuration.timeout
        let outcome = await step(context.task, deadline: deadline) { () async -> Result<HandlerOutput, any Error> in
            do {
                return .success(try await TaskContext.$current.withValue(context) { try await job(context) })
            } catch {
                return .failure(error)
            }
        }
        if Task.isCancelled { interrupt(context.task, .shutdown) }
        switch outcome {
        case .success(let value)?:
            return (value, .returned)
        case .failure(let error)?:
            let (message, code, retryable) = AgentError.classify(error)
            return (nil, .threw(message: message, code: code, retryable: retryable))
        case nil:
            return (nil, .threw(message: "interrupted", code: "interrupted", retryable: false))
        }
    }

    /// Waits `delay` before the next attempt, unless interrupted first.
    private func waitBackoff(_ task: String, delay: Duration) async {
        _ = await step(task, deadline: nil) { try? await Task.sleep(for: delay) }
        if Task.isCancelled { interrupt(task, .shutdown) }
    }

    /// Runs `body` as a child task the state machine can stop (see `StepCanceller`): registered as `task`'s running
    /// step, with the time limit `deadline`, while it runs. Nil when the step may not begin (the task was cancelled or
    /// shut down already).
    private func step<T: Sendable>(_ task: String, deadline: ContinuousClock.Instant?, _ body: @escaping @Sendable () async -> T) async -> T? {
        async let child: T? = withUnsafeCurrentTask { current in
            guard let current, machine.withLock({ $0.stepBegins(task, interrupter: StepCanceller(current), deadline: deadline) }) else { return nil }
            let value = await body()
            machine.withLock { $0.stepEnded(task) }
            return value
        }
        return await child
    }

    private func recordCancelled(_ start: TaskStart, logger: Logger) async {
        logger.info("cancelled")
        await record(start, status: .cancelled, payload: #"{"reason":"cancelled on request"}"#, result: nil, failure: nil)
    }

    private func record(_ start: TaskStart, status: TaskStatus, payload: String, result: String?, text: String? = nil, failure: TaskFailure?) async {
        let outcome = TaskOutcome(
            task: start.task, envelope: start.envelope, agent: configuration.agent, status: status,
            eventPayload: payload, result: result, text: text, failure: failure, ack: (configuration.stream, configuration.group, start.entryID)
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
            try await withBrokerRetries("finish") { try await self.bus.tasks.finish([outcome]) }
            metrics.acked.increment()
            machine.withLock { $0.recorded(completed: outcome.status == .completed) }
        } catch {
            logger.error("could not record the outcome; the entry stays pending and will be retried", metadata: ["task": "\(outcome.task)", "error": "\(error)"])
        }
    }
}
