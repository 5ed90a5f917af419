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
            let context = TaskContext(task: start.task, agent: configuration.agent, attempt: attempt, envelope: start.envelope, logger: logger, broker: broker)
            let (value, result) = await runAttempt(run.job, context: context)
            let action = machine.withLock { $0.attemptEnded(start.task, attempt: attempt, result: result, timeout: configuration.timeout) }
            switch action {
            case .complete:
                metrics.handlerDuration.recordInterval(since: started)
                await record(start, status: .completed, payload: value ?? "null", result: value, failure: nil, logger: context.logger)
                return
            case .fail(let failure):
                await record(start, status: .failed, payload: (try? JSONCoding.string(failure)) ?? "{}", result: nil, failure: failure, logger: context.logger)
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
                let next = (try? await broker.recordRetry(task: start.task, error: message, message: "attempt \(failed) failed: \(message); retrying in \(delay)")) ?? failed + 1
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

    /// Runs the handler once, until it ends, its time limit passes or it is interrupted; the state machine knows
    /// which interruption it was.
    private func runAttempt(_ job: @escaping PreparedJob, context: TaskContext) async -> (String?, Machine.AttemptResult) {
        let task = context.task
        let (signal, interrupter) = AsyncStream<Void>.makeStream()
        let interrupted = Machine.AttemptResult.threw(message: "interrupted", code: "interrupted", retryable: false)
        guard machine.withLock({ $0.stepBegins(task, interrupter: interrupter) }) else { return (nil, interrupted) }
        let deadline = ContinuousClock.now + configuration.timeout
        let ended: (String?, Machine.AttemptResult)
        do {
            let value = try await withWatchdog({ try await TaskContext.$current.withValue(context) { try await job(context) } }) {
                if try await withDeadline(deadline, { await signal.first { _ in true } }) == nil {
                    self.logger.warning("handler exceeded its time limit; cancelling it", metadata: ["task": "\(task)"])
                    self.interrupt(task, .timeout)
                }
            }
            ended = value.map { ($0, .returned) } ?? (nil, interrupted)
        } catch {
            let (message, code, retryable) = AgentError.classify(error)
            ended = (nil, .threw(message: message, code: code, retryable: retryable))
        }
        if Task.isCancelled { interrupt(task, .shutdown) }
        return ended
    }

    /// Waits `delay` before the next attempt, unless interrupted first.
    private func waitBackoff(_ task: String, delay: Duration) async {
        let (signal, interrupter) = AsyncStream<Void>.makeStream()
        guard machine.withLock({ $0.stepBegins(task, interrupter: interrupter) }) else { return }
        _ = try? await withDeadline(.now + delay) { await signal.first { _ in true } }
        if Task.isCancelled { interrupt(task, .shutdown) }
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
            machine.withLock { $0.recorded(completed: outcome.status == .completed) }
        } catch {
            logger.error("could not record the outcome; the entry stays pending and will be retried", metadata: ["task": "\(outcome.task)", "error": "\(error)"])
        }
    }
}
