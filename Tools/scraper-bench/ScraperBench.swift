import AgentBase
import ArgumentParser
import Foundation
import Hummingbird
import Logging
import NIOCore
import Scraper
import ServiceLifecycle

/// Measures the scraper on a generated todo page: extraction alone, and fetch + extraction over loopback HTTP.
@main
struct ScraperBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scraper-bench",
        abstract: "Pages/second for a todo page of --items checkbox items: parse+extract only, then fetched over loopback HTTP (sequential and concurrent). Build with -c release."
    )

    @Option(help: "Items on the page.")
    var items: Int = 1_000

    @Option(help: "Pages per phase.")
    var pages: Int = 300

    @Option(help: "Concurrent fetches in the concurrent phase.")
    var concurrency: Int = 8

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    func run() async throws {
        Observability.bootstrap(SwitchboardEnvironment())
        let html = Self.page(items: items)
        let body = Array(html.utf8)
        let url = URL(string: "http://127.0.0.1/bench")!

        var extractionTimes: [Double] = []
        let extractionStart = ContinuousClock.now
        for _ in 0..<pages {
            let start = ContinuousClock.now
            let found = try ScraperService.items(of: FetchedPage(url: url, mediaType: "text/html", body: body), selector: nil)
            guard found.count == items else { throw ValidationError("extracted \(found.count) items, expected \(items)") }
            extractionTimes.append(Self.milliseconds(ContinuousClock.now - start))
        }
        let extractionRate = Double(pages) / Self.seconds(ContinuousClock.now - extractionStart)

        let server = try await Self.serve(html)
        defer { Task { await server.group.triggerGracefulShutdown() } }
        var configuration = ScraperConfiguration()
        configuration.allowHosts = ["127.0.0.1"]
        let fetcher = PageFetcher(configuration: configuration, logger: Logger(label: "bench"))
        let pageURL = "http://127.0.0.1:\(server.port)/bench"

        var fetchTimes: [Double] = []
        let sequentialStart = ContinuousClock.now
        for _ in 0..<pages {
            let start = ContinuousClock.now
            _ = try ScraperService.items(of: try await fetcher.fetch(pageURL), selector: nil)
            fetchTimes.append(Self.milliseconds(ContinuousClock.now - start))
        }
        let sequentialRate = Double(pages) / Self.seconds(ContinuousClock.now - sequentialStart)

        let concurrentStart = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<concurrency {
                group.addTask {
                    for _ in stride(from: worker, to: pages, by: concurrency) {
                        _ = try ScraperService.items(of: try await fetcher.fetch(pageURL), selector: nil)
                    }
                }
            }
            try await group.waitForAll()
        }
        let concurrentRate = Double(pages) / Self.seconds(ContinuousClock.now - concurrentStart)

        let extraction = extractionTimes.sorted()
        let fetch = fetchTimes.sorted()
        let rss = ProcessStats.peakRSSMegabytes()
        if json {
            let object: [String: Any] = [
                "items": items, "page_kb": body.count / 1024,
                "extract_pages_per_s": extractionRate.rounded(), "extract_ms": ["p50": ProcessStats.percentile(extraction, 0.5), "p99": ProcessStats.percentile(extraction, 0.99)],
                "fetch_pages_per_s": sequentialRate.rounded(), "fetch_ms": ["p50": ProcessStats.percentile(fetch, 0.5), "p99": ProcessStats.percentile(fetch, 0.99)],
                "fetch_concurrent_pages_per_s": concurrentRate.rounded(), "rss_peak_mb": rss,
            ]
            print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self))
        } else {
            func row(_ name: String, _ value: String) { print(name.padding(toLength: 46, withPad: " ", startingAt: 0) + value) }
            print("scraper-bench: \(items)-item page (\(body.count / 1024) KiB), \(pages) pages per phase")
            row("parse + extract", String(format: "%8.0f pages/s  p50 %.2f ms  p99 %.2f ms", extractionRate, ProcessStats.percentile(extraction, 0.5), ProcessStats.percentile(extraction, 0.99)))
            row("fetch + extract, sequential (loopback)", String(format: "%8.0f pages/s  p50 %.2f ms  p99 %.2f ms", sequentialRate, ProcessStats.percentile(fetch, 0.5), ProcessStats.percentile(fetch, 0.99)))
            row("fetch + extract, \(concurrency) concurrent", String(format: "%8.0f pages/s", concurrentRate))
            row("peak RSS", String(format: "%8.1f MB", rss))
        }
    }

    static func page(items: Int) -> String {
        var html = "<!doctype html><html><head><meta charset=\"utf-8\"><title>Backlog</title></head><body><h1>Backlog</h1><ul class=\"contains-task-list\">\n"
        for index in 0..<items {
            html += "<li class=\"task-list-item\"><input type=\"checkbox\" class=\"task-list-item-checkbox\"\(index % 3 == 0 ? " checked" : "") disabled> Item \(index): <a href=\"/i/\(index)\">follow up</a> with the team due 2026-12-\(String(format: "%02d", index % 28 + 1)) #area\(index % 7)</li>\n"
        }
        return html + "</ul></body></html>"
    }

    /// A loopback server answering every path with the page.
    static func serve(_ html: String) async throws -> (group: ServiceGroup, port: Int) {
        let router = Router()
        let buffer = ByteBuffer(string: html)
        router.get("/bench") { _, _ in Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: buffer)) }
        var logger = Logger(label: "bench-site")
        logger.logLevel = .error
        let ready = AsyncStream<Int>.makeStream()
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), onServerRunning: { ready.continuation.yield($0.localAddress?.port ?? 0) }, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        Task { try await group.run() }
        for await port in ready.stream { return (group, port) }
        throw ValidationError("the benchmark site did not start")
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func milliseconds(_ duration: Duration) -> Double { seconds(duration) * 1000 }
}
