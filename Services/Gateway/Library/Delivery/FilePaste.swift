import AgentBase

/// A file as a message, for channels that take no uploads (GitHub comments): a text file in a fenced block, cut at
/// `maxCharacters`; any other file by name and size.
enum FilePaste {
    static let maxCharacters = 60_000

    static func text(_ file: StoredFile, bytes: [UInt8], caption: String?) -> String {
        var lines = caption.map { [$0] } ?? []
        guard file.isText else {
            return (lines + ["\(file.name) (\(file.mediaType), \(file.size) bytes) cannot be shown here."]).joined(separator: "\n")
        }
        var content = String(decoding: bytes, as: UTF8.self)
        if content.count > maxCharacters { content = String(content.prefix(maxCharacters)) + "\n… (cut after \(maxCharacters) characters)" }
        lines += ["\(file.name):", "```", content, "```"]
        return lines.joined(separator: "\n")
    }
}
