/// Files kept for a while, shared by every service on the bus: what a person sent with a turn (the gateway puts it,
/// code-writer reads it), what an agent hands back (the agent puts it, the gateway sends it).
public protocol FileStore: Sendable {
    /// Keeps `bytes` under a new id for `ttl`.
    func put(_ bytes: [UInt8], name: String, mediaType: String, ttl: Duration) async throws -> StoredFile
    /// The file and its bytes, nil when it has expired or never was.
    func get(_ id: String) async throws -> (file: StoredFile, bytes: [UInt8])?
}
