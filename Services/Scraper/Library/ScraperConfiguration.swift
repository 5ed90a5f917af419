import AgentBase
import Foundation

/// The scraper's limits and allow-list, from the environment (`SCRAPER_*`).
public struct ScraperConfiguration: Sendable {
    /// Hosts that may be fetched although they resolve to private or loopback addresses (`SCRAPER_ALLOW_HOSTS`,
    /// exact names or IPs, or `*.suffix`).
    public var allowHosts: [String] = []
    /// Largest body read, after decompression (`SCRAPER_MAX_BYTES`, default 5 MiB).
    public var maxBytes = 5 * 1024 * 1024
    /// Time for the whole fetch including redirects (`SCRAPER_TIMEOUT`, default 20 s).
    public var timeout: Duration = .seconds(20)
    /// Redirects followed before giving up (`SCRAPER_MAX_REDIRECTS`, default 5).
    public var maxRedirects = 5
    /// Sent with every request (`SCRAPER_USER_AGENT`).
    public var userAgent = "SwitchboardScraper/\(SwitchboardVersion.current) (todo sync bot)"
    /// Whether robots.txt is obeyed (`SCRAPER_ROBOTS=respect|ignore`, default respect).
    public var respectRobots = true
    /// How long the last scrape of a URL is remembered per conversation (`SCRAPER_MEMORY_TTL`, default 30 days).
    public var memoryTTL: Duration = .seconds(30 * 86_400)

    public init() {}

    /// Reads the `SCRAPER_*` variables; a malformed value is an error naming the variable.
    public init(environment: SwitchboardEnvironment) throws(ConfigurationError) {
        allowHosts = environment.list("SCRAPER_ALLOW_HOSTS").map { $0.lowercased() }
        if let text = environment.value("SCRAPER_MAX_BYTES") {
            guard let bytes = Int(text), bytes > 0 else { throw ConfigurationError(variable: "SCRAPER_MAX_BYTES", message: "must be a positive number of bytes, got '\(text)'") }
            maxBytes = bytes
        }
        timeout = try Self.duration(environment, "SCRAPER_TIMEOUT") ?? timeout
        memoryTTL = try Self.duration(environment, "SCRAPER_MEMORY_TTL") ?? memoryTTL
        if let text = environment.value("SCRAPER_MAX_REDIRECTS") {
            guard let count = Int(text), count >= 0 else { throw ConfigurationError(variable: "SCRAPER_MAX_REDIRECTS", message: "must be a number ≥ 0, got '\(text)'") }
            maxRedirects = count
        }
        userAgent = environment.value("SCRAPER_USER_AGENT") ?? userAgent
        switch environment.value("SCRAPER_ROBOTS") ?? "respect" {
        case "respect": respectRobots = true
        case "ignore": respectRobots = false
        case let other: throw ConfigurationError(variable: "SCRAPER_ROBOTS", message: "must be respect or ignore, got '\(other)'")
        }
    }

    private static func duration(_ environment: SwitchboardEnvironment, _ variable: String) throws(ConfigurationError) -> Duration? {
        guard let text = environment.value(variable) else { return nil }
        guard let duration = DurationParser.parse(text), duration > .zero else {
            throw ConfigurationError(variable: variable, message: "must be a duration such as 20s or 2m, got '\(text)'")
        }
        return duration
    }

    /// Whether the host (lower case, no brackets) is allow-listed.
    public func allows(host: String) -> Bool {
        allowHosts.contains { pattern in
            if pattern.hasPrefix("*.") { return host.hasSuffix(pattern.dropFirst()) }
            return pattern == host || pattern.trimmingCharacters(in: ["[", "]"]) == host
        }
    }

    /// The product token robots.txt groups are matched against.
    var robotsAgent: String {
        String(userAgent.prefix { $0 != "/" && $0 != " " }).lowercased()
    }
}
