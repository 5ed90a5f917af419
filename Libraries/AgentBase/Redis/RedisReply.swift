/// One reply from Redis (RESP2): what `redisGetReply` hands back, copied into Swift values.
public enum RedisReply: Sendable, Hashable {
    case status(String)
    case error(String)
    case integer(Int)
    case bulk([UInt8])
    case null
    case array([RedisReply])

    /// The reply as text: bulk strings decoded as UTF-8, status lines and integers as written.
    public var string: String? {
        switch self {
        case .bulk(let bytes): return String(decoding: bytes, as: UTF8.self)
        case .status(let text): return text
        case .integer(let value): return String(value)
        default: return nil
        }
    }

    /// The reply as an integer, from an integer reply or a numeric bulk string.
    public var int: Int? {
        switch self {
        case .integer(let value): return value
        case .bulk, .status: return string.flatMap { Int($0) }
        default: return nil
        }
    }

    /// The elements of an array reply; `nil` for any other kind.
    public var array: [RedisReply]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// Whether this is the nil bulk / nil array reply.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// Throws the server's error reply as a `RedisError`; returns the reply otherwise.
    public func orThrow() throws(RedisError) -> RedisReply {
        if case .error(let message) = self { throw RedisError.server(message) }
        return self
    }

    /// A flat `[field, value, field, value, …]` array reply read as ordered pairs.
    public var fieldPairs: [(String, String)]? {
        guard let elements = array, elements.count % 2 == 0 else { return nil }
        var pairs: [(String, String)] = []
        pairs.reserveCapacity(elements.count / 2)
        var index = 0
        while index < elements.count {
            pairs.append((elements[index].string ?? "", elements[index + 1].string ?? ""))
            index += 2
        }
        return pairs
    }
}
