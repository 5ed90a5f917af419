import AgentBase
import Foundation

/// Files sent with a coding session's turn: each fetched through its channel (at most `maxBytes`,
/// `SB_ATTACHMENT_MAX_BYTES`), its type checked from its bytes (text in UTF-8, or a PNG, JPEG, GIF or WebP image), and
/// kept in the file store for the session's idle time, where code-writer reads it.
struct TurnAttachments: Sendable {
    let files: any FileStore
    let maxBytes: Int
    let ttl: Duration

    /// Why a file was not taken, in words for its sender.
    struct Refusal: Error, Sendable {
        let message: String
    }

    /// The files kept, in the order sent; the first that cannot be taken refuses them all (a turn never runs with
    /// half of what was sent).
    func take(_ incoming: [IncomingFile], via channel: (any ChatChannel)?) async throws -> Result<[SessionAttachment], Refusal> {
        var kept: [SessionAttachment] = []
        for file in incoming {
            let name = FileKind.safeName(file.name)
            if let size = file.size, size > maxBytes { return .failure(tooLarge(name, size)) }
            let bytes: [UInt8]
            do {
                guard let channel else { throw ChannelError.permanent("no channel to fetch it from") }
                bytes = try await channel.fetch(file, maxBytes: maxBytes)
            } catch {
                return .failure(Refusal(message: "Could not fetch \(name): \(error)."))
            }
            if bytes.count > maxBytes { return .failure(tooLarge(name, bytes.count)) }
            guard let mediaType = Self.mediaType(of: bytes, name: name, declared: file.mediaType) else {
                return .failure(Refusal(message: "\(name) is neither a text file (UTF-8) nor a PNG, JPEG, GIF or WebP image; coding sessions take only those."))
            }
            let stored = try await files.put(bytes, name: name, mediaType: mediaType, ttl: ttl)
            kept.append(SessionAttachment(id: stored.id, name: stored.name, mediaType: stored.mediaType, size: stored.size))
        }
        return .success(kept)
    }

    private func tooLarge(_ name: String, _ size: Int) -> Refusal {
        Refusal(message: "\(name) is \(size) bytes; files sent to a session may be at most \(maxBytes) bytes (SB_ATTACHMENT_MAX_BYTES).")
    }

    /// The type the bytes are: an image by its magic number (whatever was declared), else text when they are UTF-8
    /// without NUL bytes (the declared or name's text type, else `text/plain`); nil for anything else.
    static func mediaType(of bytes: [UInt8], name: String, declared: String?) -> String? {
        if let image = FileKind.sniffImage(bytes) { return image }
        guard !bytes.contains(0), String(validating: bytes, as: UTF8.self) != nil else { return nil }
        let candidates = [declared, FileKind.mediaType(ofName: name)].compactMap { $0?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } }
        return candidates.first(where: FileKind.isText) ?? "text/plain"
    }

}
