/// The runner's decisions without I/O or clocks: free handler slots, which tasks run here, what ends a step (a
/// timeout, a cancel request, a shutdown), what a handler's end means (record, retry, dead-letter, leave pending),
/// and when a shutdown has drained. `Interrupter` is what stops a running step (the runner's signal; tests use any value).
struct RunnerStateMachine<Interrupter: Sendable>: Sendable {
    /// Why a running step is being stopped.
    enum Interruption: Sendable, Hashable {
        case timeout
        case cancelled
        case shutdown
    }

    /// How one attempt of a handler ended.
    enum AttemptResult: Sendable, Hashable {
        case returned
        case threw(message: String, code: String, retryable: Bool)
    }

    /// What to do after an attempt ended.
    enum AttemptAction: Sendable, Hashable {
        /// Record COMPLETED with the handler's result.
        case complete
        /// Record FAILED, not retried.
        case fail(TaskFailure)
        /// Record CANCELLED.
        case cancel
        /// Stop here and leave the entry pending (shutdown).
        case leavePending
        /// Dead-letter it: attempts are used up.
        case deadLetter(code: String, reason: String, attempts: Int)
        /// Count a retry, wait the backoff for `attempt`, then run again.
        case retry(message: String, attempt: Int)
    }

    /// What to do after a backoff wait ended.
    enum BackoffAction: Sendable, Hashable {
        case runAgain
        case cancel
        case leavePending
    }

    /// What to do once a task is off the slot it held.
    enum EndAction: Sendable, Hashable {
        /// A slot is free again.
        case slotFreed
        /// Reading has ended and nothing runs any more.
        case drained
    }

    private struct Running {
        var entryID: String
        var interruption: Interruption?
        var interrupter: Interrupter?
        /// When the running attempt's time limit passes (nil during a backoff wait).
        var deadline: ContinuousClock.Instant?
        /// The handler is done and its outcome is being recorded: the slot frees in a moment.
        var recording = false
    }

    let concurrency: Int
    let maxAttempts: Int
    private var running: [String: Running] = [:]
    /// Slots taken for a batch being read or begun, not yet running anything.
    private var reserved = 0
    /// Running tasks whose outcome is being recorded.
    private var recording = 0
    private(set) var stopping = false
    /// Reading has ended: the last task to end drains the runner.
    private var readingDone = false
    /// Tasks handled to an end (their outcome recorded) here.
    private(set) var processed = 0
    /// Of those, the ones that did not complete.
    private(set) var failed = 0
    /// Tasks stopped by a shutdown and left pending.
    private(set) var leftPending = 0
    /// Pending entries found deleted or trimmed.
    private(set) var deletedPending = 0

    init(concurrency: Int, maxAttempts: Int) {
        self.concurrency = concurrency
        self.maxAttempts = maxAttempts
    }

    var inFlightCount: Int { running.count }
    /// Running tasks with their entry ids (for heartbeats and lease renewal).
    var inFlight: [(task: String, entryID: String)] { running.map { ($0.key, $0.value.entryID) } }

    func isRunning(_ task: String) -> Bool { running[task] != nil }

    // MARK: Slots

    /// What the reading loop does next.
    enum ReadAction: Sendable, Hashable {
        /// Read up to this many entries (the slots are reserved).
        case read(slots: Int)
        /// Wait until a slot is freed: none is free, or only a few are while other tasks are recording their outcome
        /// (their slots free in a moment, so the next read is a batch rather than one entry per ended task).
        case waitForSlot
        /// Stopping: read no more.
        case stop
    }

    /// Decides the next read of at most `batchSize` entries.
    mutating func nextRead(batchSize: Int) -> ReadAction {
        if stopping { return .stop }
        let free = concurrency - running.count - reserved
        if free <= 0 || (recording > 0 && free < min(batchSize, concurrency) / 2) { return .waitForSlot }
        let taken = min(free, batchSize)
        reserved += taken
        return .read(slots: taken)
    }

    /// Gives back reserved slots that started nothing.
    mutating func release(_ count: Int) {
        reserved = max(0, reserved - count)
    }

    // MARK: Starting

    /// What `begin` decided for a delivered task, as far as the runner acts on it.
    enum BeginAction: Sendable, Hashable {
        /// Run the handler on one of the reserved slots.
        case run(attempt: Int)
        /// Dead-letter it: attempts were used up by crashes or lost leases.
        case deadLetter(code: String, reason: String, attempts: Int)
        /// Dead-letter it without its `reply_to`, which names a key of type `keyType`.
        case rejectReplyTo(keyType: String)
        /// Its result was copied from the completed task `owner` (already acked).
        case duplicate(owner: String)
        /// The same idempotency key runs elsewhere: leave it pending.
        case deferred(owner: String)
        /// Nothing to do (ended already, or no slot left: it stays pending).
        case none
    }

    /// `begin` gave `verdict` for a delivered task.
    mutating func begun(_ task: String, entryID: String, verdict: StartVerdict) -> BeginAction {
        switch verdict {
        case .run(let attempt):
            guard reserved > 0, running[task] == nil else { return .none }
            reserved -= 1
            running[task] = Running(entryID: entryID)
            return .run(attempt: attempt)
        case .exhausted(let attempts, let lastError):
            let reason = "gave up after \(attempts - 1) attempts" + (lastError.isEmpty ? " (the handler never finished: crash or lost lease)" : ": \(lastError)")
            return .deadLetter(code: "max_attempts", reason: reason, attempts: attempts - 1)
        case .invalidReplyTo(let keyType):
            return .rejectReplyTo(keyType: keyType)
        case .duplicate(let owner):
            return .duplicate(owner: owner)
        case .deferred(let owner):
            return .deferred(owner: owner)
        case .done, .cancelled:
            return .none
        }
    }

    /// Pending entries found deleted were acked.
    mutating func deletedPendingFound(_ count: Int) {
        deletedPending += count
    }

    // MARK: Steps and interruptions

    /// A step (an attempt with its time limit `deadline`, or a backoff wait) of `task` begins, stoppable through
    /// `interrupter`. False when the task was cancelled or shut down already: the step must not run. A timeout of the
    /// previous attempt is forgotten.
    mutating func stepBegins(_ task: String, interrupter: Interrupter, deadline: ContinuousClock.Instant? = nil) -> Bool {
        guard var state = running[task] else { return false }
        if let interruption = state.interruption, interruption != .timeout { return false }
        state.interruption = nil
        state.interrupter = interrupter
        state.deadline = deadline
        running[task] = state
        return true
    }

    /// The step of `task` ended by itself: it can no longer be interrupted.
    mutating func stepEnded(_ task: String) {
        running[task]?.interrupter = nil
        running[task]?.deadline = nil
    }

    /// The watchdog's tick at `now`: every running attempt past its deadline is interrupted for a timeout; returns
    /// those tasks with their interrupters to signal. One scan of at most `concurrency` entries per tick replaces a
    /// timer per attempt.
    mutating func expired(at now: ContinuousClock.Instant) -> [(task: String, interrupter: Interrupter)] {
        var due: [(task: String, interrupter: Interrupter)] = []
        for (task, state) in running {
            guard let deadline = state.deadline, deadline <= now, state.interruption == nil else { continue }
            running[task]?.deadline = nil
            if let interrupter = interrupt(task, .timeout) { due.append((task, interrupter)) }
        }
        return due
    }

    /// Asks the running step of `task` to stop; returns its interrupter to signal, if any. A timeout never replaces
    /// an earlier reason; a cancel or shutdown replaces a timeout.
    mutating func interrupt(_ task: String, _ reason: Interruption) -> Interrupter? {
        guard var state = running[task], state.interruption == nil || reason != .timeout else { return nil }
        state.interruption = reason
        running[task] = state
        return state.interrupter
    }

    /// Shutdown: no more reads.
    mutating func shutdown() {
        stopping = true
    }

    /// The reading loop has ended (after a shutdown); returns how many tasks still run (0: drained at once).
    mutating func readingEnded() -> Int {
        stopping = true
        readingDone = true
        return running.count
    }

    /// The grace period is over (or the runner was cancelled): every running step is stopped and left pending.
    mutating func interruptAll() -> [Interrupter] {
        stopping = true
        return running.keys.compactMap { interrupt($0, .shutdown) }
    }

    // MARK: Ends

    /// An attempt of `task` ended; says what to do with it (a success wins over any interruption).
    mutating func attemptEnded(_ task: String, attempt: Int, result: AttemptResult, timeout: Duration) -> AttemptAction {
        running[task]?.interrupter = nil
        running[task]?.deadline = nil
        let action = attemptAction(task, attempt: attempt, result: result, timeout: timeout)
        switch action {
        case .complete, .fail, .cancel, .deadLetter: markRecording(task)
        case .leavePending, .retry: break
        }
        return action
    }

    private mutating func markRecording(_ task: String) {
        guard running[task]?.recording == false else { return }
        running[task]?.recording = true
        recording += 1
    }

    private mutating func attemptAction(_ task: String, attempt: Int, result: AttemptResult, timeout: Duration) -> AttemptAction {
        let interruption = running[task]?.interruption
        if result == .returned { return .complete }
        switch interruption {
        case .shutdown?:
            leftPending += 1
            return .leavePending
        case .cancelled?:
            return .cancel
        case .timeout?:
            return retryOrGiveUp(message: "timed out after \(timeout)", code: "timeout", attempt: attempt)
        case nil:
            guard case .threw(let message, let code, let retryable) = result else { return .complete }
            guard retryable else { return .fail(TaskFailure(error: code, reason: message, retryable: false)) }
            return retryOrGiveUp(message: message, code: code, attempt: attempt)
        }
    }

    private func retryOrGiveUp(message: String, code: String, attempt: Int) -> AttemptAction {
        if attempt >= maxAttempts {
            return .deadLetter(code: code == "timeout" ? "timeout" : "max_attempts", reason: "gave up after \(attempt) attempts: \(message)", attempts: attempt)
        }
        return .retry(message: message, attempt: attempt)
    }

    /// The backoff wait of `task` ended (passed, or interrupted).
    mutating func backoffEnded(_ task: String) -> BackoffAction {
        running[task]?.interrupter = nil
        switch running[task]?.interruption {
        case .shutdown?:
            leftPending += 1
            return .leavePending
        case .cancelled?:
            markRecording(task)
            return .cancel
        default:
            return .runAgain
        }
    }

    /// The outcome of a task was recorded (its entry acked).
    mutating func recorded(completed: Bool) {
        processed += 1
        if !completed { failed += 1 }
    }

    /// `task` is off its slot.
    mutating func ended(_ task: String) -> EndAction {
        if running.removeValue(forKey: task)?.recording == true { recording -= 1 }
        return readingDone && running.isEmpty ? .drained : .slotFreed
    }
}
