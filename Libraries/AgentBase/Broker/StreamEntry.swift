/// One entry read from a stream: its id and raw fields (`nil` when the entry was deleted or trimmed while pending).
public struct StreamEntry: Sendable, Hashable {
    public var id: String
    public var fields: [(String, String)]?

    public init(id: String, fields: [(String, String)]?) {
        self.id = id
        self.fields = fields
    }

    public static func == (lhs: StreamEntry, rhs: StreamEntry) -> Bool {
        lhs.id == rhs.id && lhs.fields?.map(\.0) == rhs.fields?.map(\.0) && lhs.fields?.map(\.1) == rhs.fields?.map(\.1)
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(id) }

    /// The first value of a field.
    public subscript(field: String) -> String? {
        fields?.first { $0.0 == field }?.1
    }

    /// An entry as XRANGE, XREAD and XREADGROUP return it: `[id, [field, value, …]]` (fields nil when deleted).
    public init(reply: RedisReply) {
        let parts = reply.array ?? []
        self.init(id: parts.first?.string ?? "", fields: parts.count > 1 ? parts[1].fieldPairs : nil)
    }
}

/// Entries handed to this consumer by a read or a reclaim, plus the ids Redis reports as gone.
public struct Fetched: Sendable {
    public var entries: [StreamEntry]
    /// Pending ids whose entries were deleted or trimmed; they must be acked and counted, not handled.
    public var deletedIDs: [String]

    public init(entries: [StreamEntry] = [], deletedIDs: [String] = []) {
        self.entries = entries
        self.deletedIDs = deletedIDs
    }

    /// Adds an entry read back, or its id when Redis says it was deleted.
    mutating func append(_ entry: StreamEntry) {
        if entry.fields == nil { deletedIDs.append(entry.id) } else { entries.append(entry) }
    }
}
