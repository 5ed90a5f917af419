/// What went wrong talking to Redis, in words an operator can act on.
public enum RedisError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `REDIS_URL` could not be understood.
    case invalidURL(String)
    /// Another Redis setting could not be used (`REDIS_PASSWORD_FILE` unreadable); the text names the variable.
    case invalidSetting(String)
    /// No connection could be made (refused, unreachable, DNS), even after retrying within the timeout.
    case connectionFailed(String)
    /// The connection broke while a command was in flight; the command may or may not have run.
    case io(String)
    /// The server did not answer within the command timeout.
    case timeout(String)
    /// Redis answered with an error reply (`ERR …`, `NOGROUP …`, `WRONGTYPE …`).
    case server(String)
    /// The reply did not have the shape the command promises.
    case unexpectedReply(String)
    /// The connection was closed by this process.
    case closed

    public var description: String {
        switch self {
        case .invalidURL(let why): return "invalid REDIS_URL: \(why)"
        case .invalidSetting(let why): return "invalid Redis setting: \(why)"
        case .connectionFailed(let why): return "cannot connect to Redis: \(why)"
        case .io(let why): return "Redis connection lost: \(why)"
        case .timeout(let why): return "Redis did not answer in time: \(why)"
        case .server(let message): return "Redis error: \(message)"
        case .unexpectedReply(let what): return "unexpected Redis reply: \(what)"
        case .closed: return "the Redis connection was closed"
        }
    }

    /// Whether the server said the consumer group (or its stream) does not exist.
    public var isNoGroup: Bool {
        if case .server(let message) = self { return message.hasPrefix("NOGROUP") }
        return false
    }

    /// Whether retrying after a pause may succeed (connection trouble rather than a bad command).
    public var isTransient: Bool {
        switch self {
        case .connectionFailed, .io, .timeout: return true
        case .server(let message): return message.hasPrefix("LOADING") || message.hasPrefix("BUSY ") || message.hasPrefix("TRYAGAIN")
        default: return false
        }
    }
}
