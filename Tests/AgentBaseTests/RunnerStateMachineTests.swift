@testable import AgentBase
import Testing

/// The runner's decisions, input by input, without Redis or clocks.
struct RunnerStateMachineTests {
    typealias Machine = RunnerStateMachine<Int>

    /// A machine with `task` begun and running on one reserved slot.
    private func running(_ task: String = "t", concurrency: Int = 2, maxAttempts: Int = 3) -> Machine {
        var machine = Machine(concurrency: concurrency, maxAttempts: maxAttempts)
        #expect(machine.reserve(upTo: 1) == 1)
        #expect(machine.begun(task, entryID: "1-0", verdict: .run(attempt: 1)) == .run(attempt: 1))
        return machine
    }

    @Test("slots: a read never takes more than the free slots; unused ones come back")
    func slots() {
        var machine = Machine(concurrency: 3, maxAttempts: 3)
        #expect(machine.reserve(upTo: 10) == 3)
        #expect(machine.reserve(upTo: 10) == 0)
        #expect(machine.begun("a", entryID: "1-0", verdict: .run(attempt: 1)) == .run(attempt: 1))
        machine.release(2)
        #expect(machine.reserve(upTo: 10) == 2)
        machine.release(2)
        #expect(machine.ended("a") == .slotFreed)
        #expect(machine.reserve(upTo: 10) == 3)
    }

    @Test("begin: a run verdict without a reserved slot leaves the task pending")
    func runWithoutSlot() {
        var machine = Machine(concurrency: 1, maxAttempts: 3)
        #expect(machine.begun("a", entryID: "1-0", verdict: .run(attempt: 1)) == .none)
        #expect(machine.inFlightCount == 0)
    }

    @Test("begin: exhausted attempts dead-letter with the last error or the crash reason")
    func exhausted() {
        var machine = Machine(concurrency: 1, maxAttempts: 3)
        #expect(machine.begun("a", entryID: "1-0", verdict: .exhausted(attempts: 4, lastError: "boom")) == .deadLetter(code: "max_attempts", reason: "gave up after 3 attempts: boom", attempts: 3))
        #expect(machine.begun("b", entryID: "2-0", verdict: .exhausted(attempts: 4, lastError: "")) == .deadLetter(code: "max_attempts", reason: "gave up after 3 attempts (the handler never finished: crash or lost lease)", attempts: 3))
        #expect(machine.begun("c", entryID: "3-0", verdict: .duplicate(of: "x")) == .duplicate(owner: "x"))
        #expect(machine.begun("d", entryID: "4-0", verdict: .deferred(owner: "y")) == .deferred(owner: "y"))
        #expect(machine.begun("e", entryID: "5-0", verdict: .invalidReplyTo(keyType: "hash")) == .rejectReplyTo(keyType: "hash"))
        #expect(machine.begun("f", entryID: "6-0", verdict: .done(.completed)) == .none)
        #expect(machine.begun("g", entryID: "7-0", verdict: .cancelled) == .none)
    }

    @Test("a handler that returns completes, even when interrupted meanwhile")
    func returnedCompletes() {
        var machine = running()
        #expect(machine.stepBegins("t", interrupter: 1))
        #expect(machine.interrupt("t", .cancelled) == 1)
        #expect(machine.attemptEnded("t", attempt: 1, result: .returned, timeout: .seconds(1)) == .complete)
    }

    @Test("a permanent error fails at once; a retryable one retries until the attempts are used up")
    func retries() {
        var machine = running(maxAttempts: 2)
        #expect(machine.stepBegins("t", interrupter: 1))
        #expect(machine.attemptEnded("t", attempt: 1, result: .threw(message: "bad", code: "invalid", retryable: false), timeout: .seconds(1))
            == .fail(TaskFailure(error: "invalid", reason: "bad", retryable: false)))
        #expect(machine.attemptEnded("t", attempt: 1, result: .threw(message: "flaky", code: "transient", retryable: true), timeout: .seconds(1)) == .retry(message: "flaky", attempt: 1))
        #expect(machine.attemptEnded("t", attempt: 2, result: .threw(message: "flaky", code: "transient", retryable: true), timeout: .seconds(1))
            == .deadLetter(code: "max_attempts", reason: "gave up after 2 attempts: flaky", attempts: 2))
    }

    @Test("a timeout is retried, then dead-lettered as timeout; the next attempt forgets it")
    func timeout() {
        var machine = running(maxAttempts: 2)
        #expect(machine.stepBegins("t", interrupter: 1))
        #expect(machine.interrupt("t", .timeout) == 1)
        #expect(machine.attemptEnded("t", attempt: 1, result: .threw(message: "x", code: "x", retryable: false), timeout: .seconds(5)) == .retry(message: "timed out after 5.0 seconds", attempt: 1))
        #expect(machine.stepBegins("t", interrupter: 2))
        #expect(machine.backoffEnded("t") == .runAgain)
        #expect(machine.stepBegins("t", interrupter: 3))
        #expect(machine.interrupt("t", .timeout) == 3)
        #expect(machine.attemptEnded("t", attempt: 2, result: .threw(message: "x", code: "x", retryable: false), timeout: .seconds(5))
            == .deadLetter(code: "timeout", reason: "gave up after 2 attempts: timed out after 5.0 seconds", attempts: 2))
    }

    @Test("a timeout never replaces a cancel; a cancel replaces a timeout")
    func interruptionPrecedence() {
        var machine = running()
        #expect(machine.stepBegins("t", interrupter: 1))
        #expect(machine.interrupt("t", .cancelled) == 1)
        #expect(machine.interrupt("t", .timeout) == nil)
        #expect(machine.attemptEnded("t", attempt: 1, result: .threw(message: "x", code: "x", retryable: true), timeout: .seconds(1)) == .cancel)

        var other = running()
        #expect(other.stepBegins("t", interrupter: 1))
        #expect(other.interrupt("t", .timeout) == 1)
        #expect(other.interrupt("t", .cancelled) == 1)
        #expect(other.attemptEnded("t", attempt: 1, result: .threw(message: "x", code: "x", retryable: true), timeout: .seconds(1)) == .cancel)
        #expect(other.interrupt("unknown", .cancelled) == nil)
    }

    @Test("a cancel during the backoff ends the task cancelled; no step begins after it")
    func cancelDuringBackoff() {
        var machine = running()
        #expect(machine.stepBegins("t", interrupter: 1))
        #expect(machine.interrupt("t", .cancelled) == 1)
        #expect(machine.backoffEnded("t") == .cancel)
        #expect(!machine.stepBegins("t", interrupter: 2))
    }

    @Test("shutdown: no more reads; the grace period over, running tasks are left pending and the last end drains")
    func shutdownDrain() {
        var machine = Machine(concurrency: 3, maxAttempts: 3)
        #expect(machine.reserve(upTo: 2) == 2)
        #expect(machine.begun("a", entryID: "1-0", verdict: .run(attempt: 1)) == .run(attempt: 1))
        #expect(machine.begun("b", entryID: "2-0", verdict: .run(attempt: 1)) == .run(attempt: 1))
        #expect(machine.stepBegins("a", interrupter: 1))
        #expect(machine.stepBegins("b", interrupter: 2))
        machine.shutdown()
        #expect(machine.reserve(upTo: 1) == 0)
        #expect(machine.readingEnded() == 2)
        #expect(machine.attemptEnded("a", attempt: 1, result: .returned, timeout: .seconds(1)) == .complete)
        machine.recorded(completed: true)
        #expect(machine.ended("a") == .slotFreed)
        #expect(machine.interruptAll() == [2])
        #expect(machine.attemptEnded("b", attempt: 1, result: .threw(message: "cancelled", code: "cancelled", retryable: false), timeout: .seconds(1)) == .leavePending)
        #expect(machine.ended("b") == .drained)
        #expect(machine.processed == 1)
        #expect(machine.leftPending == 1)
        #expect(machine.inFlight.isEmpty)
    }

    @Test("a shutdown during the backoff leaves the task pending")
    func shutdownDuringBackoff() {
        var machine = running()
        #expect(machine.stepBegins("t", interrupter: 1))
        #expect(machine.interruptAll() == [1])
        #expect(machine.backoffEnded("t") == .leavePending)
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
