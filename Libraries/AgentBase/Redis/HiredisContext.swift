import CHiredis
import Foundation

/// A hiredis `redisContext` and the blocking calls on it; used only from its connection's serial queue.
final class HiredisContext {
    private var context: UnsafeMutablePointer<redisContext>?
    private let configuration: RedisConfiguration
    private let commandTimeout: Duration

    init(configuration: RedisConfiguration, commandTimeout: Duration) {
        self.configuration = configuration
        self.commandTimeout = commandTimeout
    }

    deinit { disconnect() }

    var isConnected: Bool {
        guard let context else { return false }
        return context.pointee.err == 0
    }

    /// Opens the socket, sets timeouts, then AUTH and SELECT as configured.
    func connect() throws(RedisError) {
        disconnect()
        let hostCopy = configuration.host
        guard let ctx = redisConnectWithTimeout(hostCopy, Int32(configuration.port), Self.timeval(configuration.connectTimeout)) else {
            throw .connectionFailed("out of memory creating the hiredis context")
        }
        if ctx.pointee.err != 0 {
            let message = Self.errorString(ctx)
            redisFree(ctx)
            throw .connectionFailed("\(configuration.host):\(configuration.port): \(message)")
        }
        context = ctx
        redisSetTimeout(ctx, Self.timeval(commandTimeout))
        _ = redisEnableKeepAlive(ctx)
        do {
            if let password = configuration.password {
                var auth: [String] = ["AUTH"]
                if let user = configuration.username { auth.append(user) }
                auth.append(password)
                if case .error(let message) = try execute([RedisCommand(auth)])[0] {
                    throw RedisError.connectionFailed("authentication refused: \(message)")
                }
            }
            if configuration.database != 0,
               case .error(let message) = try execute([["SELECT", String(configuration.database)]])[0] {
                throw RedisError.connectionFailed("SELECT \(configuration.database) refused: \(message)")
            }
        } catch let error as RedisError {
            disconnect()
            throw error
        } catch {
            disconnect()
            throw .connectionFailed("\(error)")
        }
    }

    func disconnect() {
        if let context { redisFree(context) }
        context = nil
    }

    /// Writes every command, then reads one reply per command (a pipeline of one round trip).
    func execute(_ commands: [RedisCommand]) throws(RedisError) -> [RedisReply] {
        guard let context, context.pointee.err == 0 else { throw .io("not connected") }
        for command in commands {
            try append(command, to: context)
        }
        var replies: [RedisReply] = []
        replies.reserveCapacity(commands.count)
        for command in commands {
            var raw: UnsafeMutableRawPointer?
            if redisGetReply(context, &raw) != REDIS_OK || raw == nil {
                let message = Self.errorString(context)
                let timedOut = errno == EAGAIN || message.contains("Resource temporarily unavailable")
                disconnect()
                if timedOut { throw .timeout("\(command.name) got no reply within \(commandTimeout)") }
                throw .io("\(command.name): \(message)")
            }
            let reply = raw!.assumingMemoryBound(to: redisReply.self)
            replies.append(Self.convert(reply))
            freeReplyObject(raw)
        }
        return replies
    }

    private func append(_ command: RedisCommand, to context: UnsafeMutablePointer<redisContext>) throws(RedisError) {
        let count = command.arguments.count
        let total = command.arguments.reduce(0) { $0 + $1.count }
        let storage = UnsafeMutablePointer<CChar>.allocate(capacity: max(total, 1))
        let pointers = UnsafeMutablePointer<UnsafePointer<CChar>?>.allocate(capacity: count)
        let lengths = UnsafeMutablePointer<Int>.allocate(capacity: count)
        defer {
            storage.deallocate()
            pointers.deallocate()
            lengths.deallocate()
        }
        var offset = 0
        for (index, argument) in command.arguments.enumerated() {
            argument.withUnsafeBufferPointer { buffer in
                if let base = buffer.baseAddress {
                    (storage + offset).withMemoryRebound(to: UInt8.self, capacity: buffer.count) {
                        $0.update(from: base, count: buffer.count)
                    }
                }
            }
            pointers[index] = UnsafePointer(storage + offset)
            lengths[index] = argument.count
            offset += argument.count
        }
        if redisAppendCommandArgv(context, Int32(count), pointers, lengths) != REDIS_OK {
            throw .io("cannot queue \(command.name): \(Self.errorString(context))")
        }
    }

    private static func convert(_ reply: UnsafeMutablePointer<redisReply>) -> RedisReply {
        let r = reply.pointee
        switch r.type {
        case REDIS_REPLY_STRING:
            return .bulk(r.str.map { Array(UnsafeRawBufferPointer(start: $0, count: r.len)) } ?? [])
        case REDIS_REPLY_STATUS:
            return .status(text(r))
        case REDIS_REPLY_ERROR:
            return .error(text(r))
        case REDIS_REPLY_INTEGER:
            return .integer(Int(r.integer))
        case REDIS_REPLY_ARRAY:
            var elements: [RedisReply] = []
            elements.reserveCapacity(r.elements)
            for index in 0..<r.elements {
                if let element = r.element[index] { elements.append(convert(element)) } else { elements.append(.null) }
            }
            return .array(elements)
        default:
            return .null
        }
    }

    private static func text(_ r: redisReply) -> String {
        guard let str = r.str else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: str, count: r.len), as: UTF8.self)
    }

    private static func errorString(_ context: UnsafeMutablePointer<redisContext>) -> String {
        withUnsafeBytes(of: context.pointee.errstr) { raw in
            let bytes = raw.prefix { $0 != 0 }
            let text = String(decoding: bytes, as: UTF8.self)
            return text.isEmpty ? "error \(context.pointee.err)" : text
        }
    }

    static func timeval(_ duration: Duration) -> Foundation.timeval {
        let (seconds, attoseconds) = duration.components
        return Foundation.timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
    }
}
