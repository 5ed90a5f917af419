import AgentBase
import Foundation
@testable import Scraper
import SwitchboardTesting
import Testing

/// The fetcher over real HTTP on loopback: limits, redirects, robots.txt, encodings, and the SSRF refusals.
@Suite(.serialized)
struct FetchTests {
    static func fetcher(_ values: [String: String] = ["SCRAPER_ALLOW_HOSTS": "127.0.0.1"]) throws -> PageFetcher {
        PageFetcher(configuration: try ScraperConfiguration(environment: SwitchboardEnvironment(values)), logger: quietLogger)
    }

    static func withSite(_ body: (FixtureSite) async throws -> Void) async throws {
        let site = try FixtureSite()
        try await site.start()
        do {
            try await body(site)
        } catch {
            await site.stop()
            throw error
        }
        await site.stop()
    }

    @Test("fetches a page and follows a relative redirect; the final URL is reported")
    func redirect() async throws {
        try await Self.withSite { site in
            let page = try await Self.fetcher().fetch(site.url("/redirect"))
            #expect(page.url.absoluteString == site.url("/fixtures/plain-list.html"))
            #expect(page.mediaType == "text/html")
            #expect(try ScraperService.items(of: page, selector: nil).count == 4)
        }
    }

    @Test("gzip bodies are decompressed; Latin-1 bodies decoded from the header charset")
    func encodings() async throws {
        try await Self.withSite { site in
            let gzipped = try await Self.fetcher().fetch(site.url("/gzip"))
            #expect(try ScraperService.items(of: gzipped, selector: nil).count == 3)
            let latin = try await Self.fetcher().fetch(site.url("/latin1"))
            #expect(latin.charset == "iso-8859-1")
            #expect(try ScraperService.items(of: latin, selector: nil).map(\.text) == ["Acheter du café", "Crème brûlée"])
        }
    }

    @Test("a body over SCRAPER_MAX_BYTES is refused, compressed or not")
    func sizeLimit() async throws {
        try await Self.withSite { site in
            let small = try Self.fetcher(["SCRAPER_ALLOW_HOSTS": "127.0.0.1", "SCRAPER_MAX_BYTES": "65536"])
            await #expect(throws: ScrapeError.tooLarge(url: site.url("/huge"), limit: 65536)) { try await small.fetch(site.url("/huge")) }
            await #expect(throws: ScrapeError.tooLarge(url: site.url("/gzip-huge"), limit: 65536)) { try await small.fetch(site.url("/gzip-huge")) }
        }
    }

    @Test("a slow answer and a slow body both end at SCRAPER_TIMEOUT")
    func timeouts() async throws {
        try await Self.withSite { site in
            let fetcher = try Self.fetcher(["SCRAPER_ALLOW_HOSTS": "127.0.0.1", "SCRAPER_TIMEOUT": "1s"])
            for path in ["/slow", "/slow-body"] {
                await #expect(throws: ScrapeError.timedOut(url: site.url(path), seconds: 1)) { try await fetcher.fetch(site.url(path)) }
            }
        }
    }

    @Test("redirect loops stop at SCRAPER_MAX_REDIRECTS; HTTP errors and unsupported types are clear")
    func failures() async throws {
        try await Self.withSite { site in
            let fetcher = try Self.fetcher(["SCRAPER_ALLOW_HOSTS": "127.0.0.1", "SCRAPER_MAX_REDIRECTS": "3"])
            await #expect(throws: ScrapeError.tooManyRedirects(url: site.url("/loop"), limit: 3)) { try await fetcher.fetch(site.url("/loop")) }
            await #expect(throws: ScrapeError.httpStatus(url: site.url("/missing"), status: 404)) { try await fetcher.fetch(site.url("/missing")) }
            let image = try await fetcher.fetch(site.url("/image"))
            #expect(throws: ScrapeError.unsupportedContent(url: site.url("/image"), contentType: "image/png")) { try ScraperService.items(of: image, selector: nil) }
        }
    }

    @Test("robots.txt: disallowed paths refused, longest rule wins, SCRAPER_ROBOTS=ignore skips it")
    func robots() async throws {
        try await Self.withSite { site in
            let fetcher = try Self.fetcher()
            await #expect(throws: ScrapeError.disallowedByRobots(url: site.url("/private/list"))) { try await fetcher.fetch(site.url("/private/list")) }
            _ = try await fetcher.fetch(site.url("/private/open/list"))
            _ = try await Self.fetcher(["SCRAPER_ALLOW_HOSTS": "127.0.0.1", "SCRAPER_ROBOTS": "ignore"]).fetch(site.url("/private/list"))
        }
    }

    @Test("SSRF: loopback, private, link-local, metadata and mapped addresses are refused without SCRAPER_ALLOW_HOSTS")
    func refusals() async throws {
        let fetcher = try Self.fetcher([:])
        let cases: [(String, String)] = [
            ("http://127.0.0.1/", "loopback"), ("http://localhost/", "loopback"), ("http://[::1]/", "loopback"),
            ("http://10.1.2.3/", "private"), ("http://192.168.0.10/", "private"), ("http://172.20.0.1/", "private"),
            ("http://169.254.169.254/latest/meta-data/", "cloud metadata"), ("http://169.254.10.1/", "link-local"),
            ("http://[fe80::1]/", "link-local"), ("http://[fd00::1]/", "private (unique local)"),
            ("http://[::ffff:127.0.0.1]/", "loopback"), ("http://0.0.0.0/", "this-network"), ("http://2130706433/", "loopback"),
            ("http://224.0.0.1/", "multicast"), ("http://100.64.0.1/", "shared (carrier-grade NAT)"),
        ]
        for (url, reason) in cases {
            do {
                _ = try await fetcher.fetch(url)
                Issue.record("\(url) was fetched")
            } catch {
                guard case .forbiddenAddress(_, _, let actual) = error else {
                    Issue.record("\(url): \(error)")
                    continue
                }
                #expect(actual == reason, "\(url)")
                #expect(error.description.contains("SCRAPER_ALLOW_HOSTS"))
                #expect(!error.isRetryable)
            }
        }
        await #expect(throws: ScrapeError.forbiddenAddress(host: "metadata.google.internal", address: "metadata.google.internal", reason: "cloud metadata")) {
            try await fetcher.fetch("http://metadata.google.internal/computeMetadata/v1/")
        }
        await #expect(throws: ScrapeError.invalidURL("file:///etc/passwd")) { try await fetcher.fetch("file:///etc/passwd") }
    }

    @Test("SSRF: a redirect from an allowed host to loopback or metadata is refused; allow-listing the target lets it through")
    func redirectRefusals() async throws {
        try await Self.withSite { site in
            let onlyName = try Self.fetcher(["SCRAPER_ALLOW_HOSTS": "localhost"])
            _ = try await onlyName.fetch(site.url("/fixtures/todo.md", host: "localhost"))
            await #expect(throws: ScrapeError.forbiddenAddress(host: "127.0.0.1", address: "127.0.0.1", reason: "loopback")) {
                try await onlyName.fetch(site.url("/redirect-internal", host: "localhost"))
            }
            await #expect(throws: ScrapeError.forbiddenAddress(host: "169.254.169.254", address: "169.254.169.254", reason: "cloud metadata")) {
                try await onlyName.fetch(site.url("/redirect-metadata", host: "localhost"))
            }
            let both = try Self.fetcher(["SCRAPER_ALLOW_HOSTS": "localhost,127.0.0.1"])
            #expect(try await both.fetch(site.url("/redirect-internal", host: "localhost")).url.absoluteString == site.url("/fixtures/plain-list.html"))
        }
    }

    @Test("SSRF: the pin holds for a host written in mixed case or with a trailing dot (the key AsyncHTTPClient looks up)")
    func mixedCaseHostIsPinned() async throws {
        try await Self.withSite { site in
            let closed = try Self.fetcher([:])
            for host in ["LocalHost", "LOCALHOST", "LOCALHOST."] {
                await #expect(throws: ScrapeError.forbiddenAddress(host: "localhost", address: "127.0.0.1", reason: "loopback"), "\(host)") {
                    try await closed.fetch(site.url("/fixtures/todo.md", host: host))
                }
            }
            // `LOCALHOST.` resolves only as checked (`localhost`): the system resolver knows no `LOCALHOST.` here, so
            // the page arrives only if the connection goes to the pinned address under the URL's own spelling.
            let allowed = try Self.fetcher(["SCRAPER_ALLOW_HOSTS": "localhost"])
            for host in ["LocalHost", "LOCALHOST."] {
                let page = try await allowed.fetch(site.url("/fixtures/todo.md", host: host))
                #expect(page.url.host == host)
                #expect(try ScraperService.items(of: page, selector: nil).isEmpty == false)
            }
let target = try await Target(URL(string: site.url("/", host: "LocalHost"))!, configuration: ScraperConfiguration(environment: SwitchboardEnvironment(["SCRAPER_ALLOW_HOSTS": "localhost"])))
            #expect(target.host == "localhost")
            #expect(target.connectionHost == "LocalHost")
            #expect(target.pinned == IPAddress("127.0.0.1"))
        }
    }

    @Test("address policy: public unicast passes, every special range refused")
    func addressPolicy() {
        for address in ["93.184.215.14", "8.8.8.8", "2606:4700::1111", "1.1.1.1"] {
            #expect(AddressPolicy.refusal(for: IPAddress(address)!) == nil, "\(address)")
        }
        for address in ["127.0.0.2", "10.255.255.255", "172.31.0.1", "192.0.2.1", "198.18.0.1", "240.0.0.1", "255.255.255.255", "::", "fec0::1", "ff02::1", "64:ff9b::a00:1", "2002:7f00:1::1", "2001:db8::1"] {
            #expect(AddressPolicy.refusal(for: IPAddress(address)!) != nil, "\(address)")
        }
        #expect(IPAddress("not-an-ip") == nil)
        #expect(IPAddress("[::1]")?.description == "::1")
    }

    @Test("configuration errors name the variable")
    func configuration() {
        #expect(throws: ConfigurationError.self) { try ScraperConfiguration(environment: SwitchboardEnvironment(["SCRAPER_MAX_BYTES": "lots"])) }
        #expect(throws: ConfigurationError.self) { try ScraperConfiguration(environment: SwitchboardEnvironment(["SCRAPER_ROBOTS": "maybe"])) }
        #expect(throws: ConfigurationError.self) { try ScraperConfiguration(environment: SwitchboardEnvironment(["SCRAPER_TIMEOUT": "soon"])) }
    }
}
