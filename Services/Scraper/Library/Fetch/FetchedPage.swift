import Foundation

/// A fetched body with the facts needed to read it: the final URL, the media type and the declared charset.
public struct FetchedPage: Sendable {
    /// The URL finally fetched, after redirects.
    public var url: URL
    /// The media type without parameters, lower case (`text/html`); empty when the server sent none.
    public var mediaType: String
    /// The charset from the `Content-Type` header, when given.
    public var charset: String?
    public var body: [UInt8]

    public init(url: URL, mediaType: String, charset: String? = nil, body: [UInt8]) {
        self.url = url
        self.mediaType = mediaType
        self.charset = charset
        self.body = body
    }

    /// Splits a `Content-Type` value into media type and charset.
    static func parseContentType(_ value: String?) -> (mediaType: String, charset: String?) {
        guard let value else { return ("", nil) }
        let parts = value.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        let charset = parts.dropFirst().first { $0.lowercased().hasPrefix("charset=") }
            .map { String($0.dropFirst("charset=".count)).trimmingCharacters(in: ["\"", "'"]).lowercased() }
        return (parts.first?.lowercased() ?? "", charset)
    }
}
