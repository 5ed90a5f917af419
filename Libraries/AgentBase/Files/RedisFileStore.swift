import Foundation

/// `FileStore` in Redis: the hash `sb:file:<id>` (`name`, `media_type`, `size`, `data` — the bytes as they are).
public struct RedisFileStore: FileStore {
    let redis: RedisConnection
    let keys: KeySpace

    public init(redis: RedisConnection, keys: KeySpace) {
        self.redis = redis
        self.keys = keys
    }

    public func put(_ bytes: [UInt8], name: String, mediaType: String, ttl: Duration) async throws -> StoredFile {
        let file = StoredFile(id: UUID().uuidString.lowercased(), name: name, mediaType: mediaType, size: bytes.count)
        let key = Array(keys.file(file.id).utf8)
        let fields: [[UInt8]] = [Array("HSET".utf8), key] + [("name", file.name), ("media_type", file.mediaType), ("size", String(file.size))]
            .flatMap { [Array($0.0.utf8), Array($0.1.utf8)] } + [Array("data".utf8), bytes]
        let replies = try await redis.pipeline([RedisCommand(bytes: fields), RedisCommand(bytes: [Array("PEXPIRE".utf8), key, Array(String(ttl.milliseconds).utf8)])])
        for reply in replies { _ = try reply.orThrow() }
        return file
    }

    public func get(_ id: String) async throws -> (file: StoredFile, bytes: [UInt8])? {
        let reply = try await redis.send(["HMGET", keys.file(id), "name", "media_type", "size", "data"]).orThrow()
        guard let values = reply.array, values.count == 4, let name = values[0].string, case .bulk(let bytes) = values[3] else { return nil }
        let file = StoredFile(id: id, name: name, mediaType: values[1].string ?? "application/octet-stream", size: values[2].int ?? bytes.count)
        return (file, bytes)
    }
}

extension KeySpace {
    /// `sb:file:<id>`: a file kept for a while (hash: `name`, `media_type`, `size`, `data`).
    public func file(_ id: String) -> String { "\(prefix):file:\(id)" }
}
