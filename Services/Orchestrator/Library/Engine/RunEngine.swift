import AgentBase
import Foundation
import Logging
import ServiceLifecycle
import Workflows

/// Runs workflows durably. A run is advanced only by what happens to its steps' tasks: `task.completed`,
/// `task.failed` and `task.cancelled` on `sb:events`, read in the consumer group `orchestrator` (replicas share
/// them), and a sweep of `sb:runs:active` that catches what events cannot (a replica that died between storing a
/// step and publishing it, a step past its timeout, a retry whose backoff has passed, a cancel request). Every
/// change is a compare-and-set of the run's state; the effects that follow (publishing a step, ending the run's
/// task) are idempotent, so any replica may repeat them after a crash.
public final class RunEngine: Service, Sendable {
    let keys: KeySpace
    let queue: any TaskQueue
    let groups: any ConsumerGroups
    let tasks: any TaskStore
    let catalogue: WorkflowCatalogue
    let configuration: OrchestratorConfiguration
    let store: RunStore
    let logger: Logger
    static let group = "orchestrator"

    public init(bus: RedisBus, catalogue: WorkflowCatalogue, configuration: OrchestratorConfiguration, logger: Logger) {
        self.keys = bus.keys
        self.queue = bus.queue
        self.groups = bus.groups
        self.tasks = bus.tasks
        self.catalogue = catalogue
        self.configuration = configuration
        self.store = RunStore(redis: bus.redis, keys: bus.keys, ttl: configuration.runTTL)
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await self.followEvents() }
                group.addTask { await self.sweepLoop() }
            }
        }
    }

    // MARK: Starting, waiting, cancelling (the workflow.run handler)

    /// Creates the run's state and publishes its first step; nothing happens when the run exists (a redelivery).
    public func start(run: String, request: WorkflowRunRequest, conversation: String?) async throws {
        if try await store.load(run) != nil { return }
        guard let workflow = catalogue.workflow(named: request.workflow) else {
            let known = catalogue.workflows.map(\.name).joined(separator: ", ")
            throw AgentError.permanent("unknown workflow '\(request.workflow)' (workflows: \(known))", code: "unknown_workflow")
        }
        let inputs: [String: JSONValue]
        do {
            inputs = try workflow.resolveInputs(request.inputs)
        } catch {
            throw AgentError.permanent(error.description, code: "invalid_inputs")
        }
        let now = Self.now()
        let (state, effects) = RunPlanner(workflow: workflow).start(run: run, inputs: inputs, conversation: conversation, now: now)
        if try await store.write(state, expected: nil, now: now) {
            try await perform(effects, state: state)
        }
    }

    /// Waits until the run ends and returns its result; a failed run is a permanent error naming the failed step.
    /// Cancelled while waiting (a cancel request, a shutdown, a timeout), it cancels the run only when a cancel was
    /// requested for the run's task; otherwise the run goes on and any replica finishes it.
    public func wait(run: String) async throws -> WorkflowRunResult {
        while true {
            if let status = try await store.status(run), status.isTerminal, let state = try await store.load(run)?.state {
                switch state.status {
                case .completed: return state.result
                case .cancelled: throw AgentError.permanent(state.failure ?? "the run was cancelled", code: "cancelled")
                default: throw AgentError.permanent(state.failure ?? "the run failed", code: "step_failed")
                }
            }
            do {
                try await Task.sleep(for: configuration.pollInterval)
            } catch {
                await Task {
                    if (try? await self.tasks.cancelRequested(tasks: [run]))?.contains(run) == true {
                        try? await self.cancel(run: run, reason: "cancelled on request")
                    }
                }.value
                throw error
            }
        }
    }

    /// Ends a run cancelled and cancels its running step.
    public func cancel(run: String, reason: String) async throws {
        try await update(run) { planner, state, _ in planner.cancel(&state, reason: reason) }
    }

    // MARK: Events

    /// Handles terminal events, then acks them; an event whose handling fails stays pending and comes back (own
    /// pending after a restart, or reclaimed by a replica once idle past `claimIdle`).
    private func followEvents() async {
        var events = StreamGroupConsumer(
            groups: groups, stream: keys.events, group: Self.group, consumer: configuration.consumer, startingAt: "$",
            block: configuration.readBlock, reclaimIdle: configuration.claimIdle, reclaimEvery: configuration.claimIdle,
            retryDelay: .milliseconds(500), logger: logger
        )
        while !Task.isCancelled {
            let batch = await events.next(upTo: 100)
            do {
                for entry in batch.fetched.entries { try await handle(TaskEvent(entry: entry)) }
                try await events.ack(batch.ids)
            } catch {
                if Task.isCancelled { return }
                logger.warning("cannot follow task events; retrying", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .milliseconds(500))
            }
        }
    }

    /// Advances the run a step's terminal event belongs to.
    func handle(_ event: TaskEvent) async throws {
        guard event.isTerminal, let run = try await store.run(ofStep: event.task) else { return }
        let outcome = Self.outcome(event)
        try await update(run) { planner, state, now in planner.observe(&state, task: event.task, outcome: outcome, now: now) }
    }

    static func outcome(_ event: TaskEvent) -> StepOutcome {
        let payload = try? JSONValue(parsing: event.payload)
        switch event.type {
        case "task.completed": return StepOutcome(status: .completed, result: payload)
        case "task.cancelled": return StepOutcome(status: .cancelled, error: payload?["reason"]?.stringValue)
        default: return StepOutcome(status: .failed, error: payload?["reason"]?.stringValue ?? payload?["error"]?.stringValue)
        }
    }

    // MARK: Sweep

    private func sweepLoop() async {
        while !Task.isCancelled {
            do {
                for run in try await store.activeRuns() { try await sweep(run) }
            } catch {
                if Task.isCancelled { return }
                logger.warning("cannot sweep workflow runs; retrying", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: configuration.sweepInterval)
        }
    }

    /// Catches up one active run with the state of its tasks.
    func sweep(_ run: String) async throws {
        guard let state = try await store.load(run)?.state else {
            try await store.retire(run)
            return
        }
        if state.status.isTerminal {
            try await perform([.finish], state: state)
            return
        }
        let runTask = try await tasks.task(run)
        if runTask?.fields["cancel_requested"] == "1" || runTask?.status == .cancelled || runTask?.status == .failed {
            try await cancel(run: run, reason: runTask?.status == .failed ? "the run's task failed" : "cancelled on request")
            return
        }
        guard let current = state.current else { return }
        let step = try await tasks.task(current.task)
        if let step, let status = step.status, status.isTerminal {
            var result: JSONValue?
            if let text = step.result { result = try? JSONValue(parsing: text) }
            let outcome = StepOutcome(status: status, result: result, error: step.fields["error"])
            try await update(run) { planner, state, now in planner.observe(&state, task: current.task, outcome: outcome, now: now) }
        } else {
            let started = step != nil
            try await update(run) { planner, state, now in planner.tick(&state, stepStarted: started && state.current?.task == current.task, now: now) }
        }
    }

    // MARK: State changes and their effects

    /// Applies `change` to the stored state with compare-and-set (re-read and re-applied when another replica wrote
    /// first), then carries out its effects. A nil change means there was nothing to do.
    private func update(_ run: String, _ change: (RunPlanner, inout RunState, Int64) -> [RunEffect]?) async throws {
        for _ in 0..<20 {
            guard let loaded = try await store.load(run), let workflow = catalogue.workflow(named: loaded.state.workflow) else { return }
            var state = loaded.state
            let version = loaded.version
            let now = Self.now()
            guard let effects = change(RunPlanner(workflow: workflow), &state, now) else { return }
            if try await store.write(state, expected: version, now: now) {
                try await perform(effects, state: state)
                return
            }
        }
        throw AgentError.retryable("run \(run) is being changed by too many writers at once")
    }

    private func perform(_ effects: [RunEffect], state: RunState) async throws {
        for effect in effects {
            switch effect {
            case .submit(let attempt):
                let envelope = Envelope(type: attempt.type, payload: attempt.payload, task: attempt.task, source: "workflow:\(state.run)", conversation: state.conversation)
                _ = try await queue.submit(envelope, task: attempt.task, agent: attempt.agent, stream: keys.stream(relative: attempt.stream))
            case .progress(let message):
                try await tasks.progress(task: state.run, message: message, percent: nil)
            case .cancel(let task):
                _ = try await tasks.requestCancel(task: task)
            case .finish:
                try await finish(state)
            }
        }
    }

    /// Ends the run's own task with the run's outcome (a no-op when the task has ended already, e.g. because the
    /// handler returned first) and acknowledges its request, then takes the run off the active set.
    private func finish(_ state: RunState) async throws {
        if let snapshot = try await tasks.task(state.run), snapshot.status?.isTerminal != true {
            let fields = snapshot.fields
            let envelope = Envelope(type: WorkflowRunRequest.type, payload: "{}", task: state.run, replyTo: fields["reply_to"], source: fields["source"], conversation: fields["conversation"])
            let ack = fields["stream"].flatMap { stream in fields["entry"].map { (stream: stream, group: configuration.agent, entryID: $0) } }
            let outcome: TaskOutcome
            switch state.status {
            case .completed:
                let result = String(decoding: try JSONEncoder().encode(state.result), as: UTF8.self)
                outcome = TaskOutcome(task: state.run, envelope: envelope, agent: configuration.agent, status: .completed, eventPayload: result, result: result, ack: ack)
            case .cancelled:
                let payload = JSONValue.object(["reason": .string(state.failure ?? "cancelled")]).jsonString
                outcome = TaskOutcome(task: state.run, envelope: envelope, agent: configuration.agent, status: .cancelled, eventPayload: payload, ack: ack)
            case .failed, .running:
                let failure = TaskFailure(error: "step_failed", reason: state.failure ?? "the run failed", retryable: false)
                let payload = String(decoding: try JSONEncoder().encode(failure), as: UTF8.self)
                outcome = TaskOutcome(task: state.run, envelope: envelope, agent: configuration.agent, status: .failed, eventPayload: payload, failure: failure, ack: ack)
            }
            try await tasks.finish([outcome])
        }
        try await store.retire(state.run)
    }

    static func now() -> Int64 {
        Int64(Date().timeIntervalSince1970 * 1000)
    }
}
