import AsyncHTTPClient
import NIOCore

/// One server-sent event: its `event:` name (empty when none) and its `data:` lines joined.
struct ServerSentEvent: Sendable, Hashable {
    var event: String
    var data: String
}

/// Splits an SSE byte stream into events: lines end with LF or CRLF, a blank line ends an event,
/// `:` lines are comments.
struct ServerSentEventParser {
    private var line: [UInt8] = []
    private var event = ""
    private var data: [String] = []

    mutating func feed(_ bytes: some Sequence<UInt8>) -> [ServerSentEvent] {
        var events: [ServerSentEvent] = []
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                if let event = take(String(decoding: line, as: UTF8.self)) { events.append(event) }
                line.removeAll(keepingCapacity: true)
            } else {
                line.append(byte)
            }
        }
        return events
    }

    /// The event left when the stream ends without a blank line.
    mutating func finish() -> ServerSentEvent? {
        if !line.isEmpty { _ = take(String(decoding: line, as: UTF8.self)) }
        return take("")
    }

    private mutating func take(_ text: String) -> ServerSentEvent? {
        if text.isEmpty {
            defer { event = ""; data = [] }
            return data.isEmpty ? nil : ServerSentEvent(event: event, data: data.joined(separator: "\n"))
        }
        if text.hasPrefix(":") { return nil }
        let (field, value) = Self.split(text)
        switch field {
        case "event": event = value
        case "data": data.append(value)
        default: break
        }
        return nil
    }

    private static func split(_ text: String) -> (String, String) {
        guard let colon = text.firstIndex(of: ":") else { return (text, "") }
        var value = text[text.index(after: colon)...]
        if value.first == " " { value = value.dropFirst() }
        return (String(text[..<colon]), String(value))
    }
}

extension HTTPClientResponse.Body {
    /// Calls `handle` for each server-sent event of the body, in order.
    func forEachServerSentEvent(_ handle: (ServerSentEvent) async throws -> Void) async throws {
        var parser = ServerSentEventParser()
        for try await buffer in self {
            for event in parser.feed(buffer.readableBytesView) { try await handle(event) }
        }
        if let last = parser.finish() { try await handle(last) }
    }
}
