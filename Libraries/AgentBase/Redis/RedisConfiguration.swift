/// Where and how to connect to Redis, parsed from `REDIS_URL` (`redis://[user:pass@]host:port/db`).
public struct RedisConfiguration: Sendable, Hashable {
    public var host: String
    public var port: Int
    public var username: String?
    public var password: String?
    public var database: Int
    /// Time allowed to open a connection (and, while Redis is down, to keep retrying before a command fails).
    public var connectTimeout: Duration
    /// Time allowed for a reply.
    public var commandTimeout: Duration
    /// First and longest pause between reconnect attempts.
    public var reconnectBackoff: ClosedRange<Duration>

    public static let defaultURL = "redis://127.0.0.1:6379/0"

    public init(
        host: String = "127.0.0.1",
        port: Int = 6379,
        username: String? = nil,
        password: String? = nil,
        database: Int = 0,
        connectTimeout: Duration = .seconds(5),
        commandTimeout: Duration = .seconds(10),
        reconnectBackoff: ClosedRange<Duration> = .milliseconds(50)...(.seconds(2))
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
        self.reconnectBackoff = reconnectBackoff
    }

    /// Parses `redis://[[user]:pass@]host[:port][/db]`; `rediss://` is refused (hiredis here has no TLS).
    public init(url: String) throws(RedisError) {
        self.init()
        var rest = Substring(url)
        if rest.hasPrefix("redis://") {
            rest = rest.dropFirst("redis://".count)
        } else if rest.hasPrefix("rediss://") {
            throw .invalidURL("rediss:// (TLS) is not supported by this build's hiredis; use redis:// on a private network or a TLS proxy")
        } else {
            throw .invalidURL("expected redis://host:port/db, got a URL with another scheme")
        }
        if let at = rest.lastIndex(of: "@") {
            let credentials = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = credentials.firstIndex(of: ":") {
                let user = String(credentials[..<colon]).removingPercentEncodingIfPossible
                username = user.isEmpty ? nil : user
                password = String(credentials[credentials.index(after: colon)...]).removingPercentEncodingIfPossible
            } else if !credentials.isEmpty {
                password = String(credentials).removingPercentEncodingIfPossible
            }
        }
        if let slash = rest.firstIndex(of: "/") {
            let dbText = rest[rest.index(after: slash)...].prefix { $0 != "?" }
            rest = rest[..<slash]
            if !dbText.isEmpty {
                guard let db = Int(dbText), db >= 0 else { throw .invalidURL("database must be a number, got '\(dbText)'") }
                database = db
            }
        }
        if rest.hasPrefix("[") , let close = rest.firstIndex(of: "]") {
            host = String(rest[rest.index(after: rest.startIndex)..<close])
            rest = rest[rest.index(after: close)...]
            if rest.hasPrefix(":") { rest = rest.dropFirst() } else { rest = "" }
            if !rest.isEmpty {
                guard let p = Int(rest), (1...65535).contains(p) else { throw .invalidURL("port must be 1-65535, got '\(rest)'") }
                port = p
            }
        } else if let colon = rest.lastIndex(of: ":") {
            host = String(rest[..<colon])
            let portText = rest[rest.index(after: colon)...]
            guard let p = Int(portText), (1...65535).contains(p) else { throw .invalidURL("port must be 1-65535, got '\(portText)'") }
            port = p
        } else if !rest.isEmpty {
            host = String(rest)
        }
        if host.isEmpty { host = "127.0.0.1" }
    }

    /// A `REDIS_URL` with its password masked, or the text itself if it does not parse.
    public static func redacted(_ url: String) -> String {
        (try? RedisConfiguration(url: url).redactedURL) ?? Redactor.redact(url)
    }

    /// The URL without its password, safe for logs.
    public var redactedURL: String {
        let auth: String
        switch (username, password) {
        case (let user?, _?): auth = "\(user):***@"
        case (nil, _?): auth = ":***@"
        default: auth = ""
        }
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return "redis://\(auth)\(hostPart):\(port)/\(database)"
    }
}

extension String {
    fileprivate var removingPercentEncodingIfPossible: String {
        guard contains("%") else { return self }
        var bytes: [UInt8] = []
        var iterator = utf8.makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%"), let high = iterator.next(), let low = iterator.next(),
               let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) {
                bytes.append(value)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
