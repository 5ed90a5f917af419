import Dispatch
import Foundation
import Logging
import Metrics
import Synchronization

/// An async Redis connection over hiredis that pipelines automatically: every command queued while
/// the previous round trip is on the wire goes out together in the next one.
///
/// hiredis blocks, so each connection owns a serial dispatch queue (its own thread, never the
/// cooperative pool). A broken connection is reopened with exponential backoff; commands queued
/// meanwhile wait up to the connect timeout, then fail with a typed `RedisError`.
public final class RedisConnection: Sendable {
    private struct Request {
        let commands: [RedisCommand]
        let continuation: CheckedContinuation<[RedisReply], any Error>
    }

    private struct State {
        var pending: [Request] = []
        var draining = false
        var closed = false
    }

    public let configuration: RedisConfiguration
    private let name: String
    private let state = Mutex(State())
    private let queue: DispatchQueue
    private nonisolated(unsafe) let context: HiredisContext  // touched only on `queue`
    private nonisolated(unsafe) var everConnected = false  // touched only on `queue`
    private let logger: Logger
    private let reconnects: Counter

    /// - Parameters:
    ///   - name: shown in logs and thread names (`commands`, `blocking-reads`, …).
    ///   - commandTimeout: overrides the configuration's, e.g. for a connection that blocks on XREADGROUP.
    public init(configuration: RedisConfiguration, name: String = "redis", commandTimeout: Duration? = nil, logger: Logger = Logger(label: "switchboard.redis")) {
        self.configuration = configuration
        self.name = name
        self.queue = DispatchQueue(label: "switchboard.redis.\(name)")
        self.context = HiredisContext(configuration: configuration, commandTimeout: commandTimeout ?? configuration.commandTimeout)
        self.logger = logger
        self.reconnects = Counter(label: "switchboard_redis_reconnects_total", dimensions: [("connection", name)])
    }

    /// Sends one command and returns its reply; an error reply is thrown as `RedisError.server`.
    @discardableResult
    public func send(_ command: RedisCommand) async throws(RedisError) -> RedisReply {
        try await pipeline([command])[0].orThrow()
    }

    /// Sends the commands in one round trip and returns one reply per command (error replies included, not thrown).
    public func pipeline(_ commands: [RedisCommand]) async throws(RedisError) -> [RedisReply] {
        if commands.isEmpty { return [] }
        do {
            return try await withCheckedThrowingContinuation { continuation in
                let shouldDrain = state.withLock { state -> Bool? in
                    if state.closed { return nil }
                    state.pending.append(Request(commands: commands, continuation: continuation))
                    if state.draining { return false }
                    state.draining = true
                    return true
                }
                switch shouldDrain {
                case nil: continuation.resume(throwing: RedisError.closed)
                case true?: queue.async { self.drain() }
                case false?: break
                }
            }
        } catch let error as RedisError {
            throw error
        } catch {
            throw .io("\(error)")
        }
    }

    /// Fails what is queued and closes the socket; later commands throw `RedisError.closed`.
    public func close() {
        let orphans = state.withLock { state -> [Request] in
            state.closed = true
            defer { state.pending.removeAll() }
            return state.pending
        }
        for request in orphans { request.continuation.resume(throwing: RedisError.closed) }
        queue.async { self.context.disconnect() }
    }

    private func drain() {
        while true {
            let batch = state.withLock { state -> [Request] in
                if state.pending.isEmpty {
                    state.draining = false
                    return []
                }
                defer { state.pending.removeAll(keepingCapacity: true) }
                return state.pending
            }
            if batch.isEmpty { return }
            run(batch)
        }
    }

    private func run(_ batch: [Request]) {
        do {
            try ensureConnected()
            let commands = batch.count == 1 ? batch[0].commands : batch.flatMap(\.commands)
            let replies = try context.execute(commands)
            var offset = 0
            for request in batch {
                let count = request.commands.count
                request.continuation.resume(returning: Array(replies[offset..<(offset + count)]))
                offset += count
            }
        } catch {
            for request in batch { request.continuation.resume(throwing: error) }
        }
    }

    /// Reconnects with exponential backoff until the connect timeout runs out.
    private func ensureConnected() throws(RedisError) {
        if context.isConnected { return }
        let deadline = ContinuousClock.now + configuration.connectTimeout
        var backoff = Backoff(initial: configuration.reconnectBackoff.lowerBound, maximum: configuration.reconnectBackoff.upperBound)
        while true {
            do {
                try context.connect()
                if everConnected {
                    reconnects.increment()
                    logger.info("reconnected to Redis", metadata: ["connection": "\(name)", "redis": "\(configuration.redactedURL)"])
                }
                everConnected = true
                return
            } catch {
                let pause = backoff.next()
                if ContinuousClock.now + pause > deadline {
                    logger.warning("Redis unreachable", metadata: ["connection": "\(name)", "error": "\(error)"])
                    throw error
                }
                Thread.sleep(forTimeInterval: Double(pause.components.seconds) + Double(pause.components.attoseconds) / 1e18)
            }
        }
    }
}
