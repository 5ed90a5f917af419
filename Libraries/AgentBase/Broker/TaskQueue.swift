/// Putting work on the bus: raw entries, task submissions (state QUEUED and a `task.queued` event with the entry) and
/// the idempotency keys publishers claim before submitting.
public protocol TaskQueue: Sendable {
    /// Appends a raw entry (XADD) and returns its id.
    func publish(_ envelope: Envelope, to stream: String) async throws -> String
    /// Appends many raw entries in one round trip; returns their ids in order.
    func publish(_ envelopes: [Envelope], to stream: String) async throws -> [String]
    /// Publishes a request for an agent and records the task QUEUED with a `task.queued` event;
    /// if the task id already exists nothing is published and its status is returned.
    func submit(_ envelope: Envelope, task: String, agent: String, stream: String) async throws -> Submission
    /// Claims `key` for `task` (SET NX with the task TTL); returns the task that holds it already, or nil.
    func claimIdempotencyKey(_ key: String, task: String) async throws -> String?
    /// Frees a key claimed for `task` when that task was not submitted after all (only while the key names it).
    func releaseIdempotencyKey(_ key: String, task: String) async
}
