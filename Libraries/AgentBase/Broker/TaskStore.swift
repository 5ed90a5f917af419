/// Task state (`sb:task:<id>`) and its lifecycle events: begin, progress, retries, usage, cancel requests and the end,
/// each written with its event in one atomic step.
public protocol TaskStore: Sendable {
    /// The task hash, or nil if unknown (or expired).
    func task(_ id: String) async throws -> TaskSnapshot?
    /// Moves delivered tasks to RUNNING (one atomic step for the batch) and says what to do with each.
    func begin(_ starts: [TaskStart], stream: String, group: String, maxAttempts: Int, instance: String) async throws -> [StartVerdict]
    /// Records the outcome of each task with its event, dead letter and XACK, atomically per task.
    func finish(_ outcomes: [TaskOutcome]) async throws
    /// Publishes `task.progress` for a running task.
    func progress(task: String, message: String, percent: Double?) async throws
    /// Counts another attempt of a running task after a retryable error; returns the attempt number.
    func recordRetry(task: String, error: String, message: String) async throws -> Int
    /// Adds one model call's usage to the task hash and to each ledger hash (`sb:usage:…`: `tokens_in`,
    /// `tokens_out`, `cost_usd`, `calls`) in one round trip.
    func recordUsage(task: String, usage: Usage, totals: [String]) async throws
    /// A ledger hash read back; all zero when it does not exist.
    func usageTotals(_ key: String) async throws -> UsageTotals
    /// Drops tasks older than the task TTL from the index of tasks by creation time (`sb:tasks`); answers how many.
    /// Runners do it with their periodic trim, so that creating a task does not.
    func trimTaskIndex() async throws -> Int
    /// Asks for a task to be cancelled.
    func requestCancel(task: String) async throws -> CancelRequest
    /// Which of these tasks have a cancel request.
    func cancelRequested(tasks: [String]) async throws -> Set<String>
}
