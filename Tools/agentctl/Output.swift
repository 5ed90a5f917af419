import AgentBase
import Foundation

/// Printing helpers: JSON for machines, aligned text for people, status lines on stderr.
enum Output {
    /// Writes a line to stdout at once (no buffering, so piped output is live).
    static func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    static func json(_ value: Any) {
        let data = (try? JSONSerialization.data(withJSONObject: value, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data("null".utf8)
        print(String(decoding: data, as: UTF8.self))
    }

    static func jsonLine(_ value: Any) {
        let data = (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("null".utf8)
        Output.line(String(decoding: data, as: UTF8.self))
    }

    /// A JSON text parsed back into a value for embedding (strings that are not JSON stay strings).
    static func parsed(_ text: String) -> Any {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])) ?? text
    }

    static func table(_ header: [String], _ rows: [[String]]) {
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        for row in [header] + rows {
            print(row.enumerated().map { $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }.joined(separator: "  ").trimmingCharacters(in: .whitespaces))
        }
    }

    /// A status line on stderr, rewritten in place on a terminal.
    static func status(_ text: String) {
        if isatty(STDERR_FILENO) != 0 {
            FileHandle.standardError.write(Data("\r\u{1B}[2K\(text)".utf8))
        } else {
            FileHandle.standardError.write(Data("\(text)\n".utf8))
        }
    }

    static func endStatus() {
        if isatty(STDERR_FILENO) != 0 { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    static func event(_ event: TaskEvent) -> [String: Any] {
        var object: [String: Any] = ["id": event.id, "type": event.type, "task": event.task, "agent": event.agent, "payload": parsed(event.payload)]
        if let source = event.source { object["source"] = source }
        if let conversation = event.conversation { object["conversation"] = conversation }
        return object
    }

    static func eventLine(_ event: TaskEvent) -> String {
        let millis = Double(event.id.split(separator: "-").first.flatMap { Double($0) } ?? 0)
        let time = Date(timeIntervalSince1970: millis / 1000).formatted(.iso8601.time(includingFractionalSeconds: false))
        return "\(time)  \(event.type.padding(toLength: 15, withPad: " ", startingAt: 0))  \(event.task)  \(event.agent)  \(event.payload.prefix(160))"
    }
}

/// An error agentctl reports and exits non-zero for.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
