@testable import LLMProviders
import Testing

/// The SSE parser on bytes as they may arrive: split anywhere, CRLF or LF, comments, multi-line data, no final blank line.
struct ServerSentEventTests {
    @Test("events survive any split of the byte stream")
    func splits() {
        let text = ": keep-alive\r\nevent: message_start\r\ndata: {\"a\":1}\r\n\r\ndata: line one\ndata: line two\n\nevent: ping\ndata: {}"
        let expected = [ServerSentEvent(event: "message_start", data: "{\"a\":1}"), ServerSentEvent(event: "", data: "line one\nline two"), ServerSentEvent(event: "ping", data: "{}")]
        let bytes = Array(text.utf8)
        for size in [1, 2, 3, 7, bytes.count] {
            var parser = ServerSentEventParser()
            var events: [ServerSentEvent] = []
            for start in stride(from: 0, to: bytes.count, by: size) { events += parser.feed(bytes[start..<min(start + size, bytes.count)]) }
            if let last = parser.finish() { events.append(last) }
            #expect(events == expected, "chunks of \(size)")
        }
    }
}
