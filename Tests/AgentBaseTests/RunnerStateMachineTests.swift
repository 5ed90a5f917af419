@testable import AgentBase
import Testing

/// The runner's decisions, input by input, without Redis or clocks. (`#expect` cannot hold a mutating call, so each
/// input is made first and its action checked after.)
struct RunnerStateMachineTests {
    typealias Machine = RunnerStateMachine<Int>

    /// A machine with `task` begun and running on one reserved slot.
    private func running(_ task: String = "t", maxAttempts: Int = 3) -> Machine {
        var machine = Machine(concurrency: 2, maxAttempts: maxAttempts)
        let slots = reserve(&machine, upTo: 1)
        let begun = machine.begun(task, entryID: "1-0", verdict: .run(attempt: 1))
        #expect(slots == 1 && begun == .run(attempt: 1))
        return machine
    }

    private let threw = Machine.AttemptResult.threw(message: "x", code: "x", retryable: false)

    /// Reserves up to `limit` slots for a read, as the reading loop does; 0 when it may not read.
    private func reserve(_ machine: inout Machine, upTo limit: Int) -> Int {
        guard case .read(let slots) = machine.nextRead(batchSize: limit) else { return 0 }
        return slots
    }

    @Test("reads: every slot taken waits; a few free while others record their outcome wait too, so the read is a batch")
    func batchReads() {
        var machine = Machine(concurrency: 4, maxAttempts: 3)
        let first = machine.nextRead(batchSize: 4)
        for (index, task) in ["a", "b", "c", "d"].enumerated() {
            _ = machine.begun(task, entryID: "\(index)-0", verdict: .run(attempt: 1))
        }
        let full = machine.nextRead(batchSize: 4)
        for task in ["a", "b"] {
            _ = machine.attemptEnded(task, attempt: 1, result: .returned, timeout: .seconds(1))
        }
        _ = machine.ended("a")
        let oneFreeOneRecording = machine.nextRead(batchSize: 4)
        _ = machine.ended("b")
        let twoFree = machine.nextRead(batchSize: 4)
        #expect(first == .read(slots: 4) && full == .waitForSlot && oneFreeOneRecording == .waitForSlot && twoFree == .read(slots: 2))
        _ = machine.ended("c")
        let oneFreeOthersWorking = machine.nextRead(batchSize: 4)
        #expect(oneFreeOthersWorking == .read(slots: 1))
        machine.shutdown()
        let stopped = machine.nextRead(batchSize: 4)
        #expect(stopped == .stop)
    }

    @Test("deadlines: a tick interrupts only attempts past their deadline, once, and not a task stopped already")
    func deadlines() {
        var machine = Machine(concurrency: 3, maxAttempts: 3)
        _ = reserve(&machine, upTo: 3)
        let now = ContinuousClock.Instant.now
        for (index, task) in ["late", "early", "cancelled"].enumerated() {
            _ = machine.begun(task, entryID: "\(index)-0", verdict: .run(attempt: 1))
        }
        _ = machine.stepBegins("late", interrupter: 1, deadline: now + .seconds(1))
        _ = machine.stepBegins("early", interrupter: 2, deadline: now + .seconds(5))
        _ = machine.stepBegins("cancelled", interrupter: 3, deadline: now + .seconds(1))
        _ = machine.interrupt("cancelled", .cancelled)
        let before = machine.expired(at: now)
        let tick = machine.expired(at: now + .seconds(2))
        let again = machine.expired(at: now + .seconds(3))
        #expect(before.isEmpty && tick.map(\.task) == ["late"] && tick.map(\.interrupter) == [1] && again.isEmpty)
        let action = machine.attemptEnded("late", attempt: 1, result: threw, timeout: .seconds(1))
        #expect(action == .retry(message: "timed out after 1.0 seconds", attempt: 1))
    }

    @Test("slots: a read never takes more than the free slots; unused ones come back")
    func slots() {
        var machine = Machine(concurrency: 3, maxAttempts: 3)
        let first = reserve(&machine, upTo: 10)
        let none = reserve(&machine, upTo: 10)
        #expect(first == 3 && none == 0)
        let begun = machine.begun("a", entryID: "1-0", verdict: .run(attempt: 1))
        #expect(begun == .run(attempt: 1))
        machine.release(2)
        let again = reserve(&machine, upTo: 10)
        #expect(again == 2)
        machine.release(2)
        let end = machine.ended("a")
        let all = reserve(&machine, upTo: 10)
        #expect(end == .slotFreed && all == 3)
    }

    @Test("begin: a run verdict without a reserved slot leaves the task pending")
    func runWithoutSlot() {
        var machine = Machine(concurrency: 1, maxAttempts: 3)
        let action = machine.begun("a", entryID: "1-0", verdict: .run(attempt: 1))
        #expect(action == .none && machine.inFlightCount == 0)
    }

    @Test("begin: each verdict's action; exhausted attempts dead-letter with the last error or the crash reason")
    func verdicts() {
        var machine = Machine(concurrency: 1, maxAttempts: 3)
        let cases: [(StartVerdict, Machine.BeginAction)] = [
            (.exhausted(attempts: 4, lastError: "boom"), .deadLetter(code: "max_attempts", reason: "gave up after 3 attempts: boom", attempts: 3)),
            (.exhausted(attempts: 4, lastError: ""), .deadLetter(code: "max_attempts", reason: "gave up after 3 attempts (the handler never finished: crash or lost lease)", attempts: 3)),
            (.duplicate(of: "x"), .duplicate(owner: "x")),
            (.deferred(owner: "y"), .deferred(owner: "y")),
            (.invalidReplyTo(keyType: "hash"), .rejectReplyTo(keyType: "hash")),
            (.done(.completed), .none),
            (.cancelled, .none),
        ]
        for (verdict, expected) in cases {
            let action = machine.begun("a", entryID: "1-0", verdict: verdict)
            #expect(action == expected, "\(verdict)")
        }
    }

    @Test("a handler that returns completes, even when interrupted meanwhile")
    func returnedCompletes() {
        var machine = running()
        let began = machine.stepBegins("t", interrupter: 1)
        let interrupter = machine.interrupt("t", .cancelled)
        let action = machine.attemptEnded("t", attempt: 1, result: .returned, timeout: .seconds(1))
        #expect(began && interrupter == 1 && action == .complete)
    }

    @Test("a permanent error fails at once; a retryable one retries until the attempts are used up")
    func retries() {
        var machine = running(maxAttempts: 2)
        _ = machine.stepBegins("t", interrupter: 1)
        let permanent = machine.attemptEnded("t", attempt: 1, result: .threw(message: "bad", code: "invalid", retryable: false), timeout: .seconds(1))
        #expect(permanent == .fail(TaskFailure(error: "invalid", reason: "bad", retryable: false)))
        let flaky = Machine.AttemptResult.threw(message: "flaky", code: "transient", retryable: true)
        let first = machine.attemptEnded("t", attempt: 1, result: flaky, timeout: .seconds(1))
        let last = machine.attemptEnded("t", attempt: 2, result: flaky, timeout: .seconds(1))
        #expect(first == .retry(message: "flaky", attempt: 1))
        #expect(last == .deadLetter(code: "max_attempts", reason: "gave up after 2 attempts: flaky", attempts: 2))
    }

    @Test("a timeout is retried, then dead-lettered as timeout; the next step forgets it")
    func timeout() {
        var machine = running(maxAttempts: 2)
        _ = machine.stepBegins("t", interrupter: 1)
        let timedOut = machine.interrupt("t", .timeout)
        let first = machine.attemptEnded("t", attempt: 1, result: threw, timeout: .seconds(5))
        #expect(timedOut == 1 && first == .retry(message: "timed out after 5.0 seconds", attempt: 1))
        let backoff = machine.stepBegins("t", interrupter: 2)
        let afterBackoff = machine.backoffEnded("t")
        #expect(backoff && afterBackoff == .runAgain)
        _ = machine.stepBegins("t", interrupter: 3)
        let timedOutAgain = machine.interrupt("t", .timeout)
        let last = machine.attemptEnded("t", attempt: 2, result: threw, timeout: .seconds(5))
        #expect(timedOutAgain == 3)
        #expect(last == .deadLetter(code: "timeout", reason: "gave up after 2 attempts: timed out after 5.0 seconds", attempts: 2))
    }

    @Test("a timeout never replaces a cancel; a cancel replaces a timeout; an unknown task has nothing to stop")
    func interruptionPrecedence() {
        var machine = running()
        _ = machine.stepBegins("t", interrupter: 1)
        let cancel = machine.interrupt("t", .cancelled)
        let lateTimeout = machine.interrupt("t", .timeout)
        let action = machine.attemptEnded("t", attempt: 1, result: threw, timeout: .seconds(1))
        #expect(cancel == 1 && lateTimeout == nil && action == .cancel)

        var other = running()
        _ = other.stepBegins("t", interrupter: 1)
        let timeout = other.interrupt("t", .timeout)
        let laterCancel = other.interrupt("t", .cancelled)
        let otherAction = other.attemptEnded("t", attempt: 1, result: threw, timeout: .seconds(1))
        let unknown = other.interrupt("unknown", .cancelled)
        #expect(timeout == 1 && laterCancel == 1 && otherAction == .cancel && unknown == nil)
    }

    @Test("a cancel during the backoff ends the task cancelled; no step begins after it")
    func cancelDuringBackoff() {
        var machine = running()
        _ = machine.stepBegins("t", interrupter: 1)
        _ = machine.interrupt("t", .cancelled)
        let action = machine.backoffEnded("t")
        let next = machine.stepBegins("t", interrupter: 2)
        #expect(action == .cancel && !next)
    }

    @Test("shutdown: no more reads; the grace period over, running tasks are left pending and the last end drains")
    func shutdownDrain() {
        var machine = Machine(concurrency: 3, maxAttempts: 3)
        _ = reserve(&machine, upTo: 2)
        _ = machine.begun("a", entryID: "1-0", verdict: .run(attempt: 1))
        _ = machine.begun("b", entryID: "2-0", verdict: .run(attempt: 1))
        _ = machine.stepBegins("a", interrupter: 1)
        _ = machine.stepBegins("b", interrupter: 2)
        machine.shutdown()
        let slots = reserve(&machine, upTo: 1)
        let stillRunning = machine.readingEnded()
        #expect(slots == 0 && stillRunning == 2)
        let a = machine.attemptEnded("a", attempt: 1, result: .returned, timeout: .seconds(1))
        machine.recorded(completed: true)
        let aEnded = machine.ended("a")
        #expect(a == .complete && aEnded == .slotFreed)
        let interrupters = machine.interruptAll()
        let b = machine.attemptEnded("b", attempt: 1, result: threw, timeout: .seconds(1))
        let bEnded = machine.ended("b")
        #expect(interrupters == [2] && b == .leavePending && bEnded == .drained)
        #expect(machine.processed == 1 && machine.leftPending == 1 && machine.inFlight.isEmpty)
    }

    @Test("reading ended with nothing running: drained at once")
    func drainedAtOnce() {
        var machine = Machine(concurrency: 1, maxAttempts: 1)
        let stillRunning = machine.readingEnded()
        #expect(stillRunning == 0 && machine.stopping)
    }

    @Test("a shutdown during the backoff leaves the task pending")
    func shutdownDuringBackoff() {
        var machine = running()
        _ = machine.stepBegins("t", interrupter: 1)
        let interrupters = machine.interruptAll()
        let action = machine.backoffEnded("t")
        #expect(interrupters == [1] && action == .leavePending && machine.leftPending == 1)
    }

    @Test("counts: recorded outcomes, failures, deleted pending entries and what runs")
    func counts() {
        var machine = running()
        machine.recorded(completed: true)
        machine.recorded(completed: false)
        machine.deletedPendingFound(3)
        #expect(machine.processed == 2 && machine.failed == 1 && machine.deletedPending == 3)
        #expect(machine.inFlight.map(\.entryID) == ["1-0"] && machine.isRunning("t"))
    }
}
