import Foundation

/// A `multipart/form-data` body (RFC 7578): text fields and files, for APIs that take uploads that way (Telegram's
/// `sendDocument`).
struct MultipartForm: Sendable {
    let boundary = "switchboard-" + UUID().uuidString
    private(set) var body: [UInt8] = []

    var contentType: String { "multipart/form-data; boundary=\(boundary)" }

    mutating func add(_ name: String, _ value: String) {
        part("Content-Disposition: form-data; name=\"\(Self.quoted(name))\"\r\n\r\n", Array(value.utf8))
    }

    mutating func add(file name: String, filename: String, mediaType: String, bytes: [UInt8]) {
        part("Content-Disposition: form-data; name=\"\(Self.quoted(name))\"; filename=\"\(Self.quoted(filename))\"\r\nContent-Type: \(mediaType)\r\n\r\n", bytes)
    }

    /// The body with its closing boundary.
    var finished: [UInt8] { body + Array("--\(boundary)--\r\n".utf8) }

    private mutating func part(_ head: String, _ content: [UInt8]) {
        body += Array("--\(boundary)\r\n\(head)".utf8)
        body += content
        body += Array("\r\n".utf8)
    }

    /// A header parameter value: quotes, backslashes and line breaks cannot end it early.
    private static func quoted(_ text: String) -> String {
        String(text.map { "\"\\\r\n".contains($0) ? "_" : $0 })
    }
}
