/// Following task events (`sb:events`, or a `reply_to` stream) with plain reads, no consumer group.
public protocol EventStream: Sendable {
    /// Events after an id (`$` for only new ones), waiting up to `block` for some.
    func events(stream: String, after: String, count: Int, block: Duration?) async throws -> [TaskEvent]
    /// The id of the newest event, `0-0` if none; follow from it to see everything that comes next.
    func lastEventID(stream: String) async throws -> String
}
