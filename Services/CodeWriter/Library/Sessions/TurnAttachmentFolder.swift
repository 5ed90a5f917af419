import AgentBase
import Foundation
import GitKit

/// The files sent with a turn, for the turn: written from the file store into a folder of the workspace outside every
/// work tree (`attachments/<task>`, read-only), where the `read_attachment` tool reads text files and a file-editing
/// provider (claude-cli) may read them; images also go to the model as image input. Removed when the turn ends.
struct TurnAttachmentFolder: Sendable {
    let directory: URL
    /// The files written, by their name in the folder.
    let files: [String: StoredFile]
    /// The images, for the model's first message.
    let images: [ModelContent]
    /// Files named in the request that are not in the store (never stored, or expired).
    let missing: [String]

    /// Most characters of an attachment `read_attachment` returns.
    static let maxReadCharacters = 100_000

    /// Writes the attachments of a turn that has an id in `store`; nil when there are none.
    static func make(_ attachments: [SessionAttachment], store: any FileStore, workspace: URL, task: String) async throws -> TurnAttachmentFolder? {
        guard !attachments.isEmpty else { return nil }
        let directory = workspace.appendingPathComponent("attachments", isDirectory: true).appendingPathComponent(GitWorkspace.safeName(task), isDirectory: true)
        try? FileManager.default.removeItem(at: directory)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var files: [String: StoredFile] = [:]
        var images: [ModelContent] = []
        var missing: [String] = []
        for attachment in attachments {
            guard let id = attachment.id, let (file, bytes) = try await store.get(id) else {
                missing.append(attachment.name)
                continue
            }
            let name = uniqueName(FileKind.safeName(file.name), taken: Set(files.keys))
            let url = directory.appendingPathComponent(name)
            try Data(bytes).write(to: url)
            try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: url.path)
            files[name] = file
            if file.isImage { images.append(.image(name: name, mediaType: file.mediaType, bytes: bytes)) }
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: directory.path)
        return TurnAttachmentFolder(directory: directory, files: files, images: images, missing: missing)
    }

    /// The text of attachment `name`, cut at `maxReadCharacters`.
    func read(_ name: String) throws(ToolInputError) -> String {
        guard let file = files[name] else {
            throw ToolInputError(message: "no attachment '\(name)'; the attachments are \(files.keys.sorted().joined(separator: ", "))")
        }
        guard file.isText else { throw ToolInputError(message: "\(name) is \(file.mediaType), not text; it was shown to you as an image") }
        guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent(name).path) else {
            throw ToolInputError(message: "\(name) cannot be read")
        }
        let text = String(decoding: data, as: UTF8.self)
        guard text.count > Self.maxReadCharacters else { return text }
        return String(text.prefix(Self.maxReadCharacters)) + "\n… (cut after \(Self.maxReadCharacters) of \(text.count) characters)"
    }

    /// How the first message names them.
    var description: String {
        var lines = files.keys.sorted().map { name in "- \(name) (\(files[name]!.mediaType), \(files[name]!.size) bytes)" }
        if !missing.isEmpty { lines.append("(no longer kept, so not readable: \(missing.joined(separator: ", ")))") }
        return lines.joined(separator: "\n")
    }

    /// Removes the folder (made writable first).
    func remove() {
        try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.path)
        try? FileManager.default.removeItem(at: directory)
    }


    private static func uniqueName(_ name: String, taken: Set<String>) -> String {
        var candidate = name
        var number = 2
        while taken.contains(candidate) {
            candidate = "\(number)-\(name)"
            number += 1
        }
        return candidate
    }
}
