import Synchronization

/// Loads scripts once (SCRIPT LOAD) and runs them by SHA, loading again after a Redis restart (NOSCRIPT).
final class ScriptCache: Sendable {
    private let connections: [RedisConnection]
    private let next = Atomic<Int>(0)
    private let shas = Mutex<[String: String]>([:])

    /// Calls are spread over the connections in turn.
    init(connections: [RedisConnection]) {
        self.connections = connections
    }

    func run(_ script: String, keys: [String], arguments: [String]) async throws -> RedisReply {
        let connection = connections[next.add(1, ordering: .relaxed).oldValue % connections.count]
        for _ in 0..<2 {
            let sha: String
            if let known = shas.withLock({ $0[script] }) {
                sha = known
            } else {
                guard let loaded = try await connection.send(["SCRIPT", "LOAD", script]).string else { throw RedisError.unexpectedReply("SCRIPT LOAD") }
                shas.withLock { $0[script] = loaded }
                sha = loaded
            }
            let reply = try await connection.pipeline([RedisCommand(["EVALSHA", sha, String(keys.count)] + keys + arguments)])[0]
            if case .error(let message) = reply, message.hasPrefix("NOSCRIPT") {
                shas.withLock { $0[script] = nil }
                continue
            }
            return try reply.orThrow()
        }
        throw RedisError.server("NOSCRIPT after reloading the script")
    }
}
