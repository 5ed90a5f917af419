@testable import AgentBase
import Testing

/// The runner's decisions, input by input, without Redis or clocks.
struct RunnerStateMachineTests {
    typealias Machine = RunnerStateMachine<Int>

    /// A machine with `task` begun and running on one reserved slot.
    private func running(_ task: String = "t", concurrency: Int = 2, maxAttempts: Int = 3) -> Machine {
        var machine = Machine(concurrency: concurrency, maxAttempts: maxAttempts)
        let r1 = machine.reserve(upTo: 1)
        #expect(r1 == 1)
        let r2 = machine.begun(task, entryID: "1-0", verdict: .run(attempt: 1))
        #expect(r2 == .run(attempt: 1))
        return machine
    }

    @Test("slots: a read never takes more than the free slots; unused ones come back")
    func slots() {
        var machine = Machine(concurrency: 3, maxAttempts: 3)
        let r3 = machine.reserve(upTo: 10)
        #expect(r3 == 3)
        let r4 = machine.reserve(upTo: 10)
        #expect(r4 == 0)
        let r5 = machine.begun("a", entryID: "1-0", verdict: .run(attempt: 1))
        #expect(r5 == .run(attempt: 1))
        machine.release(2)
        let r6 = machine.reserve(upTo: 10)
        #expect(r6 == 2)
        machine.release(2)
        let r7 = machine.ended("a")
        #expect(r7 == .slotFreed)
        let r8 = machine.reserve(upTo: 10)
        #expect(r8 == 3)
    }

    @Test("begin: a run verdict without a reserved slot leaves the task pending")
    func runWithoutSlot() {
        var machine = Machine(concurrency: 1, maxAttempts: 3)
        let r9 = machine.begun("a", entryID: "1-0", verdict: .run(attempt: 1))
        #expect(r9 == .none)
        #expect(machine.inFlightCount == 0)
    }

    @Test("begin: exhausted attempts dead-letter with the last error or the crash reason")
    func exhausted() {
        var machine = Machine(concurrency: 1, maxAttempts: 3)
        let r10 = machine.begun("a", entryID: "1-0", verdict: .exhausted(attempts: 4, lastError: "boom"))
        #expect(r10 == .deadLetter(code: "max_attempts", reason: "gave up after 3 attempts: boom", attempts: 3))
        let r11 = machine.begun("b", entryID: "2-0", verdict: .exhausted(attempts: 4, lastError: ""))
        #expect(r11 == .deadLetter(code: "max_attempts", reason: "gave up after 3 attempts (the handler never finished: crash or lost lease)", attempts: 3))
        let r12 = machine.begun("c", entryID: "3-0", verdict: .duplicate(of: "x"))
        #expect(r12 == .duplicate(owner: "x"))
        let r13 = machine.begun("d", entryID: "4-0", verdict: .deferred(owner: "y"))
        #expect(r13 == .deferred(owner: "y"))
        let r14 = machine.begun("e", entryID: "5-0", verdict: .invalidReplyTo(keyType: "hash"))
        #expect(r14 == .rejectReplyTo(keyType: "hash"))
        let r15 = machine.begun("f", entryID: "6-0", verdict: .done(.completed))
        #expect(r15 == .none)
        let r16 = machine.begun("g", entryID: "7-0", verdict: .cancelled)
        #expect(r16 == .none)
    }

    @Test("a handler that returns completes, even when interrupted meanwhile")
    func returnedCompletes() {
        var machine = running()
        let r17 = machine.stepBegins("t", interrupter: 1)
        #expect(r17)
        let r18 = machine.interrupt("t", .cancelled)
        #expect(r18 == 1)
        let r19 = machine.attemptEnded("t", attempt: 1, result: .returned, timeout: .seconds(1))
        #expect(r19 == .complete)
    }

    @Test("a permanent error fails at once; a retryable one retries until the attempts are used up")
    func retries() {
        var machine = running(maxAttempts: 2)
        let r20 = machine.stepBegins("t", interrupter: 1)
        #expect(r20)
        let r21 = machine.attemptEnded("t", attempt: 1, result: .threw(message: "bad", code: "invalid", retryable: false), timeout: .seconds(1))
        #expect(r21
            == .fail(TaskFailure(error: "invalid", reason: "bad", retryable: false)))
        let r22 = machine.attemptEnded("t", attempt: 1, result: .threw(message: "flaky", code: "transient", retryable: true), timeout: .seconds(1))
        #expect(r22 == .retry(message: "flaky", attempt: 1))
        let r23 = machine.attemptEnded("t", attempt: 2, result: .threw(message: "flaky", code: "transient", retryable: true), timeout: .seconds(1))
        #expect(r23
            == .deadLetter(code: "max_attempts", reason: "gave up after 2 attempts: flaky", attempts: 2))
    }

    @Test("a timeout is retried, then dead-lettered as timeout; the next attempt forgets it")
    func timeout() {
        var machine = running(maxAttempts: 2)
        let r24 = machine.stepBegins("t", interrupter: 1)
        #expect(r24)
        let r25 = machine.interrupt("t", .timeout)
        #expect(r25 == 1)
        let r26 = machine.attemptEnded("t", attempt: 1, result: .threw(message: "x", code: "x", retryable: false), timeout: .seconds(5))
        #expect(r26 == .retry(message: "timed out after 5.0 seconds", attempt: 1))
        let r27 = machine.stepBegins("t", interrupter: 2)
        #expect(r27)
        let r28 = machine.backoffEnded("t")
        #expect(r28 == .runAgain)
        let r29 = machine.stepBegins("t", interrupter: 3)
        #expect(r29)
        let r30 = machine.interrupt("t", .timeout)
        #expect(r30 == 3)
        let r31 = machine.attemptEnded("t", attempt: 2, result: .threw(message: "x", code: "x", retryable: false), timeout: .seconds(5))
        #expect(r31
            == .deadLetter(code: "timeout", reason: "gave up after 2 attempts: timed out after 5.0 seconds", attempts: 2))
    }

    @Test("a timeout never replaces a cancel; a cancel replaces a timeout")
    func interruptionPrecedence() {
        var machine = running()
        let r32 = machine.stepBegins("t", interrupter: 1)
        #expect(r32)
        let r33 = machine.interrupt("t", .cancelled)
        #expect(r33 == 1)
        let r34 = machine.interrupt("t", .timeout)
        #expect(r34 == nil)
        let r35 = machine.attemptEnded("t", attempt: 1, result: .threw(message: "x", code: "x", retryable: true), timeout: .seconds(1))
        #expect(r35 == .cancel)

        var other = running()
        let r36 = other.stepBegins("t", interrupter: 1)
        #expect(r36)
        let r37 = other.interrupt("t", .timeout)
        #expect(r37 == 1)
        let r38 = other.interrupt("t", .cancelled)
        #expect(r38 == 1)
        let r39 = other.attemptEnded("t", attempt: 1, result: .threw(message: "x", code: "x", retryable: true), timeout: .seconds(1))
        #expect(r39 == .cancel)
        let r40 = other.interrupt("unknown", .cancelled)
        #expect(r40 == nil)
    }

    @Test("a cancel during the backoff ends the task cancelled; no step begins after it")
    func cancelDuringBackoff() {
        var machine = running()
        let r41 = machine.stepBegins("t", interrupter: 1)
        #expect(r41)
        let r42 = machine.interrupt("t", .cancelled)
        #expect(r42 == 1)
        let r43 = machine.backoffEnded("t")
        #expect(r43 == .cancel)
        let r44 = machine.stepBegins("t", interrupter: 2)
        #expect(!r44)
    }

    @Test("shutdown: no more reads; the grace period over, running tasks are left pending and the last end drains")
    func shutdownDrain() {
        var machine = Machine(concurrency: 3, maxAttempts: 3)
        let r45 = machine.reserve(upTo: 2)
        #expect(r45 == 2)
        let r46 = machine.begun("a", entryID: "1-0", verdict: .run(attempt: 1))
        #expect(r46 == .run(attempt: 1))
        let r47 = machine.begun("b", entryID: "2-0", verdict: .run(attempt: 1))
        #expect(r47 == .run(attempt: 1))
        let r48 = machine.stepBegins("a", interrupter: 1)
        #expect(r48)
        let r49 = machine.stepBegins("b", interrupter: 2)
        #expect(r49)
        machine.shutdown()
        let r50 = machine.reserve(upTo: 1)
        #expect(r50 == 0)
        let r51 = machine.readingEnded()
        #expect(r51 == 2)
        let r52 = machine.attemptEnded("a", attempt: 1, result: .returned, timeout: .seconds(1))
        #expect(r52 == .complete)
        machine.recorded(completed: true)
        let r53 = machine.ended("a")
        #expect(r53 == .slotFreed)
        let r54 = machine.interruptAll()
        #expect(r54 == [2])
        let r55 = machine.attemptEnded("b", attempt: 1, result: .threw(message: "cancelled", code: "cancelled", retryable: false), timeout: .seconds(1))
        #expect(r55 == .leavePending)
        let r56 = machine.ended("b")
        #expect(r56 == .drained)
        #expect(machine.processed == 1)
        #expect(machine.leftPending == 1)
        #expect(machine.inFlight.isEmpty)
    }

    @Test("a shutdown during the backoff leaves the task pending")
    func shutdownDuringBackoff() {
        var machine = running()
        let r57 = machine.stepBegins("t", interrupter: 1)
        #expect(r57)
        let r58 = machine.interruptAll()
        #expect(r58 == [1])
        let r59 = machine.backoffEnded("t")
        #expect(r59 == .leavePending)
        #expect(machine.leftPending == 1)
    }

    @Test("counts: recorded outcomes, failures and deleted pending entries")
    func counts() {
        var machine = running()
        machine.recorded(completed: true)
        machine.recorded(completed: false)
        machine.deletedPendingFound(3)
        #expect(machine.processed == 2)
        #expect(machine.failed == 1)
        #expect(machine.deletedPending == 3)
        #expect(machine.inFlight.map(\.entryID) == ["1-0"])
        #expect(machine.isRunning("t"))
    }
}
