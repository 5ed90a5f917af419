import Foundation

/// A file kept in the file store for a while (`sb:file:<id>`): one sent with a session turn, or one an agent hands
/// back with its result (a result's `files` list names them; the gateway sends each to the chat as a file).
public struct StoredFile: Codable, Sendable, Hashable {
    /// Its id in the store.
    public var id: String
    /// The file's name as shown to people.
    public var name: String
    /// Its media type, e.g. `text/plain`.
    public var mediaType: String
    /// Its size in bytes.
    public var size: Int

    enum CodingKeys: String, CodingKey {
        case id
        case name
        case mediaType = "media_type"
        case size
    }

    public init(id: String, name: String, mediaType: String, size: Int) {
        self.id = id
        self.name = name
        self.mediaType = mediaType
        self.size = size
    }

    /// Whether people and models read it as text (rather than as an image or bytes).
    public var isText: Bool { FileKind.isText(mediaType) }
    /// Whether it is an image a model can look at.
    public var isImage: Bool { FileKind.images.contains(mediaType) }
}

/// Media types: which ones count as text and which images models take.
public enum FileKind {
    /// The image types the Anthropic and OpenAI APIs accept as image input.
    public static let images: Set<String> = ["image/png", "image/jpeg", "image/gif", "image/webp"]
    /// Text types besides `text/*`.
    static let textApplications: Set<String> = [
        "application/json", "application/x-yaml", "application/yaml", "application/xml", "application/toml", "application/x-sh",
        "application/javascript", "application/x-diff", "application/x-patch", "application/sql", "application/x-ndjson",
    ]

    public static func isText(_ mediaType: String) -> Bool {
        mediaType.hasPrefix("text/") || textApplications.contains(mediaType)
    }

    /// The media type a file's name suggests (what chat services say is often `application/octet-stream`).
    public static func mediaType(ofName name: String) -> String? {
        let ext = name.split(separator: ".").last.map { $0.lowercased() } ?? ""
        switch ext {
        case "png": return "image/png"
        case "jpg", "jpeg": return "image/jpeg"
        case "gif": return "image/gif"
        case "webp": return "image/webp"
        case "json": return "application/json"
        case "yaml", "yml": return "application/yaml"
        case "diff", "patch": return "text/x-diff"
        case "csv": return "text/csv"
        case "md", "markdown": return "text/markdown"
        case "html", "htm": return "text/html"
        case "txt", "log", "swift", "py", "js", "ts", "go", "rb", "java", "kt", "rs", "c", "h", "cpp", "sh", "toml", "xml", "sql", "ini", "cfg":
            return "text/plain"
        default: return nil
        }
    }

    /// A name someone sent as a safe file name: its last path component, control characters removed, anything but
    /// letters, digits, `.`, `_`, `-` and spaces as `_`, no leading dot, at most 100 characters; `file` when nothing is
    /// left. The gateway names stored files so, and code-writer again before writing one (any client can publish).
    public static func safeName(_ name: String) -> String {
        let last = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let printable = last.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.map(Character.init)
        let kept = String(printable.map { $0.isLetter || $0.isNumber || "._- ".contains($0) ? $0 : "_" }.drop(while: { $0 == "." }).prefix(100))
            .trimmingCharacters(in: .whitespaces)
        return kept.isEmpty ? "file" : kept
    }

    /// The image type the bytes start with, by their magic number.
    public static func sniffImage(_ bytes: [UInt8]) -> String? {
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return "image/png" }
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if bytes.starts(with: Array("GIF8".utf8)) { return "image/gif" }
        if bytes.count >= 12, bytes.starts(with: Array("RIFF".utf8)), Array(bytes[8..<12]) == Array("WEBP".utf8) { return "image/webp" }
        return nil
    }
}
