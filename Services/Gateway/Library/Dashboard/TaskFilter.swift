import AgentBase
import Foundation

/// What a task list shows: filters by status, agent, type, source and creation time (all optional).
struct TaskFilter: Sendable, Hashable {
    var status: TaskStatus?
    var agent: String?
    var type: String?
    /// A prefix of the task's `source` (`web:`, `telegram:123`, …).
    var source: String?
    /// Created at or after, Unix ms.
    var since: Int64?
    /// Created before, Unix ms.
    var until: Int64?

    /// The filters of a query string (`status`, `agent`, `type`, `source`, `since`/`until` as ISO-8601 or Unix ms);
    /// throws 400 on a value that is not one.
    init(query: [String: String]) throws {
        func value(_ name: String) -> String? { query[name].flatMap { $0.isEmpty ? nil : $0 } }
        if let status = value("status") {
            guard let parsed = TaskStatus(rawValue: status.uppercased()) else {
                throw APIError.badRequest("'status' must be one of \(TaskStatus.allCases.map { $0.rawValue.lowercased() }.joined(separator: ", "))")
            }
            self.status = parsed
        }
        agent = value("agent")
        type = value("type")
        source = value("source")
        since = try value("since").map { try Self.time($0, name: "since") }
        until = try value("until").map { try Self.time($0, name: "until") }
    }

    init() {}

    private static func time(_ text: String, name: String) throws -> Int64 {
        if let ms = Int64(text) { return ms }
        for style in [Date.ISO8601FormatStyle(), Date.ISO8601FormatStyle(includingFractionalSeconds: true)] {
            if let date = try? Date(text, strategy: style) { return Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) }
        }
        throw APIError.badRequest("'\(name)' must be an ISO-8601 time or Unix milliseconds (got '\(text)')")
    }

    func matches(_ fields: [String: String]) -> Bool {
        if let status, fields["status"] != status.rawValue { return false }
        if let agent, fields["agent"] != agent { return false }
        if let type, fields["type"] != type { return false }
        if let source, !(fields["source"] ?? "").hasPrefix(source) { return false }
        return true
    }

    /// The filters as query items (for the next page's link).
    var queryItems: [(String, String)] {
        var items: [(String, String)] = []
        if let status { items.append(("status", status.rawValue.lowercased())) }
        if let agent { items.append(("agent", agent)) }
        if let type { items.append(("type", type)) }
        if let source { items.append(("source", source)) }
        if let since { items.append(("since", String(since))) }
        if let until { items.append(("until", String(until))) }
        return items
    }
}
