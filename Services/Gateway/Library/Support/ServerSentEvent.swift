import NIOCore

/// One Server-Sent Events frame (`event:`, `id:`, `data:` lines, blank line).
struct ServerSentEvent {
    var event: String
    var id: String?
    var data: String

    var buffer: ByteBuffer {
        var text = "event: \(event)\n"
        if let id { text += "id: \(id)\n" }
        for line in data.split(separator: "\n", omittingEmptySubsequences: false) { text += "data: \(line)\n" }
        return ByteBuffer(string: text + "\n")
    }
}

extension ServerSentEvent {
    /// A comment line: clients ignore it, and writing it finds out whether the client is still there.
    static let keepAlive = ByteBuffer(string: ": keep-alive\n\n")
}
