import AgentBase
import Workflows

/// Side effects of a state change, carried out after the new state is stored (all safe to repeat).
enum RunEffect: Sendable, Hashable {
    /// Publish the attempt's message (idempotent by its task id).
    case submit(StepAttempt)
    /// `task.progress` on the run's task.
    case progress(String)
    /// Cancel a step's task.
    case cancel(String)
    /// End the run's task with the run's outcome.
    case finish
}

/// The pure state machine of a run: given the state and what happened, the next state and its effects.
/// It never touches Redis; `RunEngine` stores its results with compare-and-set.
struct RunPlanner: Sendable {
    let workflow: WorkflowDefinition

    /// The state of a new run, with its first step started.
    func start(run: String, inputs: [String: JSONValue], conversation: String?, now: Int64) -> (RunState, [RunEffect]) {
        var state = RunState(run: run, workflow: workflow.name, inputs: inputs, status: .running, conversation: conversation, createdAt: now)
        var effects: [RunEffect] = []
        proceed(&state, now: now, effects: &effects)
        return (state, effects)
    }

    /// Records how the current step's task ended; nil when `task` is not the current attempt (a late or repeated event).
    func observe(_ state: inout RunState, task: String, outcome: StepOutcome, now: Int64) -> [RunEffect]? {
        guard state.status == .running, let current = state.current, current.task == task, outcome.status.isTerminal else { return nil }
        var effects: [RunEffect] = []
        state.current = nil
        let step = workflow.step(named: current.step)
        if outcome.status == .completed {
            record(&state, current, status: .completed, result: outcome.result, error: nil)
            advance(&state)
            effects.append(.progress("step \(current.step) completed"))
        } else if outcome.status == .failed, let step, current.attempt < step.retry.attempts {
            var next = current
            next.attempt += 1
            next.task = StepAttempt.taskID(run: state.run, step: step.name, iteration: current.iteration, attempt: next.attempt)
            next.notBefore = now + Int64(step.retry.delay(before: next.attempt).milliseconds)
            next.deadline = step.timeout.map { next.notBefore + Int64($0.milliseconds) }
            state.current = next
            effects.append(.progress("step \(step.name) failed (\(outcome.error ?? "no reason given")); attempt \(next.attempt) of \(step.retry.attempts) follows"))
            if next.notBefore <= now { effects.append(.submit(next)) }
            return effects
        } else {
            let reason = outcome.status == .cancelled ? "its task was cancelled" : (outcome.error ?? "no reason given")
            record(&state, current, status: outcome.status == .cancelled ? .cancelled : .failed, result: nil, error: reason)
            fail(&state, step: current.step, policy: step?.onFailure ?? .stop, reason: reason, now: now, effects: &effects)
        }
        proceed(&state, now: now, effects: &effects)
        return effects
    }

    /// Publishes a delayed retry once its backoff has passed and fails an attempt past its deadline; nil when nothing is due.
    func tick(_ state: inout RunState, stepStarted: Bool, now: Int64) -> [RunEffect]? {
        guard state.status == .running, let current = state.current else { return nil }
        if let deadline = current.deadline, now > deadline {
            let timeout = workflow.step(named: current.step)?.timeout.map { "\($0)" } ?? "its timeout"
            var effects = observe(&state, task: current.task, outcome: StepOutcome(status: .failed, error: "timed out after \(timeout)"), now: now) ?? []
            effects.insert(.cancel(current.task), at: 0)
            return effects
        }
        if !stepStarted, current.notBefore <= now { return [.submit(current)] }
        return nil
    }

    /// Ends the run cancelled (and its running step with it); nil when it has ended already.
    func cancel(_ state: inout RunState, reason: String) -> [RunEffect]? {
        guard state.status == .running else { return nil }
        var effects: [RunEffect] = []
        if let current = state.current {
            record(&state, current, status: .cancelled, result: nil, error: reason)
            effects.append(.cancel(current.task))
            state.current = nil
        }
        state.status = .cancelled
        state.failure = reason
        effects.append(.finish)
        return effects
    }

    // MARK: Moving on

    /// Starts the next step, skipping those whose `if` is false and entering or leaving loops, or ends the run.
    private func proceed(_ state: inout RunState, now: Int64, effects: inout [RunEffect]) {
        while state.status == .running, state.current == nil {
            if state.cleanup != nil {
                state.status = .failed
                effects.append(.finish)
                return
            }
            guard state.cursor.item < workflow.items.count else {
                complete(&state, effects: &effects)
                return
            }
            do {
                switch workflow.items[state.cursor.item] {
                case .step(let step):
                    if try shouldRun(step, state) {
                        begin(step, iteration: 0, &state, now: now, effects: &effects)
                    } else {
                        skip(step, &state)
                    }
                case .loop(let loop):
                    if !state.cursor.inBody {
                        let done = state.loops[loop.name] ?? 0
                        let limit = try maxIterations(loop, state)
                        let finished = try done >= limit || loop.until.render(state.scope).isTruthy
                        if finished {
                            effects.append(.progress("loop \(loop.name) ended after \(done) iteration\(done == 1 ? "" : "s")\(done >= limit ? " (the limit)" : "")"))
                            state.cursor = RunCursor(item: state.cursor.item + 1)
                            continue
                        }
                        state.loops[loop.name] = done + 1
                        state.cursor.inBody = true
                        state.cursor.inner = 0
                    }
                    guard state.cursor.inner < loop.steps.count else {
                        state.cursor.inBody = false
                        continue
                    }
                    let step = loop.steps[state.cursor.inner]
                    if try shouldRun(step, state) {
                        begin(step, iteration: state.loops[loop.name] ?? 1, &state, now: now, effects: &effects)
                    } else {
                        skip(step, &state)
                    }
                }
            } catch {
                state.status = .failed
                state.failure = "workflow \(workflow.name): \(error)"
                effects.append(.finish)
            }
        }
    }

    private func shouldRun(_ step: StepDefinition, _ state: RunState) throws(TemplateError) -> Bool {
        guard let condition = step.condition else { return true }
        return try condition.render(state.scope).isTruthy
    }

    private func maxIterations(_ loop: LoopDefinition, _ state: RunState) throws(TemplateError) -> Int {
        let value = try loop.maxIterations.render(state.scope)
        guard let limit = value.intValue ?? value.stringValue.flatMap({ Int($0) }), limit >= 0 else {
            throw TemplateError("loop \(loop.name): max_iterations must be a whole number, got \(value.jsonString)")
        }
        return limit
    }

    /// Starts attempt 1 of a step; a payload template that cannot be rendered fails the step.
    private func begin(_ step: StepDefinition, iteration: Int, _ state: inout RunState, now: Int64, effects: inout [RunEffect]) {
        let task = StepAttempt.taskID(run: state.run, step: step.name, iteration: iteration, attempt: 1)
        let payload: JSONValue
        do {
            payload = try step.payload.render(state.scope)
        } catch {
            let attempt = StepAttempt(step: step.name, task: task, type: step.type, agent: step.agent, stream: step.stream, payload: "{}", attempt: 1, iteration: iteration, notBefore: now)
            record(&state, attempt, status: .failed, result: nil, error: "payload: \(error)")
            fail(&state, step: step.name, policy: step.onFailure, reason: "payload: \(error)", now: now, effects: &effects)
            return
        }
        let attempt = StepAttempt(
            step: step.name, task: task, type: step.type, agent: step.agent, stream: step.stream, payload: payload.jsonString,
            attempt: 1, iteration: iteration, notBefore: now, deadline: step.timeout.map { now + Int64($0.milliseconds) }
        )
        state.current = attempt
        effects.append(.progress("step \(step.name) started\(iteration > 0 ? " (iteration \(iteration))" : "") → \(step.type)"))
        effects.append(.submit(attempt))
    }

    private func skip(_ step: StepDefinition, _ state: inout RunState) {
        state.steps.append(WorkflowStep(name: step.name, task: "", status: .skipped))
        state.outcomes[step.name] = ["status": "skipped"]
        advance(&state)
    }

    /// Moves past the step that just ended.
    private func advance(_ state: inout RunState) {
        guard state.cleanup == nil else { return }
        if state.cursor.inBody { state.cursor.inner += 1 } else { state.cursor.item += 1 }
    }

    private func record(_ state: inout RunState, _ attempt: StepAttempt, status: WorkflowStepStatus, result: JSONValue?, error: String?) {
        state.steps.append(WorkflowStep(name: attempt.step, task: attempt.task, status: status, result: result, error: error))
        var outcome: [String: JSONValue] = ["task": .string(attempt.task), "status": .string(status.rawValue), "iteration": .number(Double(attempt.iteration))]
        if let result { outcome["result"] = result }
        if let error { outcome["error"] = .string(error) }
        state.outcomes[attempt.step] = .object(outcome)
    }

    /// Applies a failed step's `on_failure`.
    private func fail(_ state: inout RunState, step: String, policy: FailurePolicy, reason: String, now: Int64, effects: inout [RunEffect]) {
        let message = "step \(step) failed: \(reason)"
        switch policy {
        case .continue where state.cleanup == nil:
            effects.append(.progress("\(message); continuing"))
            advance(&state)
        case .cleanup(let name) where state.cleanup == nil:
            state.failure = message
            state.cleanup = name
            guard let cleanup = workflow.step(named: name) else { return }
            begin(cleanup, iteration: 0, &state, now: now, effects: &effects)
        default:
            state.failure = state.failure ?? message
            state.status = .failed
            effects.append(.finish)
        }
    }

    private func complete(_ state: inout RunState, effects: inout [RunEffect]) {
        do {
            state.output = try workflow.output?.render(state.scope) ?? state.steps.last(where: { $0.status == .completed })?.result
            state.status = .completed
        } catch {
            state.status = .failed
            state.failure = "output: \(error)"
        }
        effects.append(.finish)
    }
}
