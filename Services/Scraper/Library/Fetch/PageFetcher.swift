import AgentBase
import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPCompression

/// Fetches pages safely: every hop's host is resolved and checked against `AddressPolicy` and the connection is
/// pinned to the checked address (no DNS rebinding between check and connect); redirects, size, time and robots.txt
/// are bounded or obeyed.
public final class PageFetcher: Sendable {
    public let configuration: ScraperConfiguration
    private let robots: RobotsCache
    private let logger: Logger

    public init(configuration: ScraperConfiguration, logger: Logger) {
        self.configuration = configuration
        self.robots = RobotsCache()
        self.logger = logger
    }

    /// Fetches `url`, following redirects; `progress` hears about each hop.
    public func fetch(_ url: String, progress: @Sendable (String) async -> Void = { _ in }) async throws(ScrapeError) -> FetchedPage {
        let deadline = NIODeadline.now() + .nanoseconds(Int64(configuration.timeout.milliseconds) * 1_000_000)
        guard let start = URL(string: url) else { throw .invalidURL(url) }
        return try await fetch(start, deadline: deadline, limit: configuration.maxBytes, checkRobots: configuration.respectRobots, progress: progress)
    }

    private func fetch(_ start: URL, deadline: NIODeadline, limit: Int, checkRobots: Bool, progress: @Sendable (String) async -> Void) async throws(ScrapeError) -> FetchedPage {
        var current = start
        for hop in 0...configuration.maxRedirects {
            let target = try await Target(current, configuration: configuration)
            if checkRobots {
                let rules = try await robotsRules(for: target, deadline: deadline)
                guard rules.allows(target.pathAndQuery) else { throw .disallowedByRobots(url: current.absoluteString) }
            }
            if hop > 0 { await progress("following redirect to \(current.absoluteString)") }
            let response = try await get(target, deadline: deadline, limit: limit)
            switch response {
            case .page(let page):
                return page
            case .redirect(let location):
                guard let next = URL(string: location, relativeTo: current)?.absoluteURL else { throw .badRedirect(url: current.absoluteString) }
                current = next
            }
        }
        throw .tooManyRedirects(url: start.absoluteString, limit: configuration.maxRedirects)
    }

    private func robotsRules(for target: Target, deadline: NIODeadline) async throws(ScrapeError) -> RobotsRules {
        if let cached = robots.rules(for: target.origin) { return cached }
        let rules: RobotsRules
        do {
            guard let url = URL(string: target.origin + "/robots.txt") else { return .allowAll }
            let page = try await fetch(url, deadline: deadline, limit: 512 * 1024, checkRobots: false, progress: { _ in })
            rules = RobotsRules(parsing: String(decoding: page.body, as: UTF8.self), agent: configuration.robotsAgent)
        } catch .httpStatus(_, let status) where status < 500 {
            rules = .allowAll
        } catch .httpStatus {
            rules = .disallowAll
        }
        robots.store(rules, for: target.origin)
        return rules
    }

    private enum Response {
        case page(FetchedPage)
        case redirect(String)
    }

    /// One request, bounded by the deadline as a whole (AsyncHTTPClient's deadline does not cover a trickling body).
    private func get(_ target: Target, deadline: NIODeadline, limit: Int) async throws(ScrapeError) -> Response {
        let timedOut = ScrapeError.timedOut(url: target.url.absoluteString, seconds: Int(configuration.timeout.components.seconds))
        do {
            let remaining = deadline - NIODeadline.now()
            guard let response = try await withDeadline(.now + .nanoseconds(max(0, remaining.nanoseconds)), { try await self.request(target, deadline: deadline, limit: limit) }) else {
                throw timedOut
            }
            return response
        } catch let error as ScrapeError {
            throw error
        } catch {
            throw timedOut
        }
    }

    private func request(_ target: Target, deadline: NIODeadline, limit: Int) async throws(ScrapeError) -> Response {
        var settings = HTTPClient.Configuration(redirectConfiguration: .disallow, timeout: .init(connect: .seconds(10)), decompression: .enabled(limit: .size(limit)))
        if let pinned = target.pinned { settings.dnsOverride = [target.connectionHost: pinned.description] }
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: settings)
        defer { client.shutdown { _ in } }
        var request = HTTPClientRequest(url: target.url.absoluteString)
        request.headers.add(name: "User-Agent", value: configuration.userAgent)
        request.headers.add(name: "Accept", value: "text/html,application/xhtml+xml,text/markdown,text/plain;q=0.9,application/json;q=0.9,*/*;q=0.5")
        request.headers.add(name: "Accept-Encoding", value: "gzip, deflate")
        let url = target.url.absoluteString
        do {
            let response = try await client.execute(request, deadline: deadline, logger: logger)
            let status = Int(response.status.code)
            if (300..<400).contains(status), status != 304 {
                guard let location = response.headers.first(name: "location") else { throw ScrapeError.badRedirect(url: url) }
                return .redirect(location)
            }
            guard (200..<300).contains(status) else { throw ScrapeError.httpStatus(url: url, status: status) }
            if let length = response.headers.first(name: "content-length").flatMap(Int.init), length > limit {
                throw ScrapeError.tooLarge(url: url, limit: limit)
            }
            var body: [UInt8] = []
            for try await chunk in response.body {
                guard body.count + chunk.readableBytes <= limit else { throw ScrapeError.tooLarge(url: url, limit: limit) }
                body.append(contentsOf: chunk.readableBytesView)
            }
            let contentType = FetchedPage.parseContentType(response.headers.first(name: "content-type"))
            return .page(FetchedPage(url: target.url, mediaType: contentType.mediaType, charset: contentType.charset, body: body))
        } catch let error as ScrapeError {
            throw error
        } catch let error as HTTPClientError {
            throw Self.translate(error, url: url, timeout: configuration.timeout)
        } catch {
            // The decompressor refusing a body that inflates past the limit (NIOHTTPDecompression.DecompressionError.limit).
            if String(reflecting: error).contains("DecompressionError.limit") { throw .tooLarge(url: url, limit: limit) }
            if NIODeadline.now() >= deadline { throw .timedOut(url: url, seconds: Int(configuration.timeout.components.seconds)) }
            throw .network(url: url, message: String(describing: error))
        }
    }

    private static func translate(_ error: HTTPClientError, url: String, timeout: Duration) -> ScrapeError {
        switch error {
        case .deadlineExceeded, .readTimeout, .connectTimeout, .writeTimeout:
            return .timedOut(url: url, seconds: Int(timeout.components.seconds))
        default:
            return .network(url: url, message: String(describing: error))
        }
    }
}

/// One hop's URL, checked: every address the host resolves to is public (unless the host is allow-listed), and the
/// connection is pinned to the first of them under the host exactly as AsyncHTTPClient will look it up.
struct Target {
    let url: URL
    /// The host as checked: lower case, without IPv6 brackets or a trailing dot.
    let host: String
    /// The host as the URL writes it (brackets trimmed), the key AsyncHTTPClient looks a DNS override up by; a pin
    /// under any other spelling (`Example.COM` vs `example.com`) would be ignored and DNS asked again.
    let connectionHost: String
    let pinned: IPAddress?

    init(_ url: URL, configuration: ScraperConfiguration) async throws(ScrapeError) {
        guard let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let rawHost = url.host, !rawHost.isEmpty else { throw .invalidURL(url.absoluteString) }
        connectionHost = rawHost.trimmingCharacters(in: ["[", "]"])
        var host = connectionHost.lowercased()
        if host.hasSuffix("."), host.count > 1 { host.removeLast() }
        self.url = url
        self.host = host
        let allowed = configuration.allows(host: host)
        if !allowed, AddressPolicy.isMetadataName(host) { throw .forbiddenAddress(host: host, address: host, reason: "cloud metadata") }
        let addresses = try await HostResolver.resolve(host)
        if !allowed {
            for address in addresses {
                if let reason = AddressPolicy.refusal(for: address) { throw .forbiddenAddress(host: host, address: address.description, reason: reason) }
            }
        }
        // Allow-listed names are pinned too: the connection goes where the name resolved when it was looked at.
        pinned = IPAddress(host) == nil ? addresses.first : nil
    }

    /// `scheme://host[:port]`, the key robots.txt applies to.
    var origin: String {
        let scheme = url.scheme?.lowercased() ?? "http"
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return url.port.map { "\(scheme)://\(hostPart):\($0)" } ?? "\(scheme)://\(hostPart)"
    }

    var pathAndQuery: String {
        let path = url.path.isEmpty ? "/" : url.path
        return url.query.map { "\(path)?\($0)" } ?? path
    }
}
