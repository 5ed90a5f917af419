import Foundation
import Hummingbird
import NIOCore
import Synchronization
import SwitchboardTesting

/// A local web site serving the fixture pages and the awkward cases: a huge page, a slow page, a slow body,
/// redirects (to loopback, in a loop), robots.txt, a gzip-encoded page, a Latin-1 page, and a page whose
/// content a test changes.
final class FixtureSite: Sendable {
    /// What the routes share with the test: the bound port and the mutable page.
    final class State: Sendable {
        let mutable = Mutex<String>("")
        let port = Mutex<Int>(0)
    }

    let server: LocalServer
    private let state = State()

    init() throws {
        let router = Router()
        let state = self.state
        router.get("/fixtures/{name}") { _, context -> Response in
            let name = try context.parameters.require("name")
            guard let bytes = try? Fixtures.bytes(name) else { return Response(status: .notFound) }
            return Self.page(bytes, type: Fixtures.mediaType(name) + "; charset=utf-8")
        }
        router.get("/robots.txt") { _, _ in
            Self.page(Array("User-agent: *\nDisallow: /private\nAllow: /private/open\n\nUser-agent: OtherBot\nDisallow: /\n".utf8), type: "text/plain")
        }
        router.get("/private/list") { _, _ in Self.page(Array(Fixtures.bigList(2).utf8), type: "text/html") }
        router.get("/private/open/list") { _, _ in Self.page(Array(Fixtures.bigList(2).utf8), type: "text/html") }
        router.get("/huge") { _, _ in Self.page(Array(Fixtures.bigList(20_000).utf8), type: "text/html") }
        router.get("/big") { _, _ in Self.page(Array(Fixtures.bigList(1000).utf8), type: "text/html") }
        router.get("/slow") { _, _ -> Response in
            try await Task.sleep(for: .seconds(5))
            return Self.page(Array(Fixtures.bigList(1).utf8), type: "text/html")
        }
        router.get("/slow-body") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "text/html"], body: ResponseBody { writer in
                for _ in 0..<50 {
                    try await writer.write(ByteBuffer(string: "<p>still loading</p>\n"))
                    try await Task.sleep(for: .milliseconds(200))
                }
                try await writer.finish(nil)
            })
        }
        router.get("/redirect") { _, _ in Response(status: .found, headers: [.location: "/fixtures/plain-list.html"]) }
        router.get("/redirect-internal") { _, _ in
            Response(status: .found, headers: [.location: "http://127.0.0.1:\(state.port.withLock { $0 })/fixtures/plain-list.html"])
        }
        router.get("/redirect-metadata") { _, _ in Response(status: .movedPermanently, headers: [.location: "http://169.254.169.254/latest/meta-data/"]) }
        router.get("/loop") { _, _ in Response(status: .found, headers: [.location: "/loop"]) }
        router.get("/gzip") { _, _ -> Response in
            let gzipped = try Self.gzip(Fixtures.bytes("github-issue.html"))
            return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .contentEncoding: "gzip"], body: .init(byteBuffer: ByteBuffer(bytes: gzipped)))
        }
        router.get("/gzip-huge") { _, _ -> Response in
            let gzipped = try Self.gzip(Array(Fixtures.bigList(20_000).utf8))
            return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .contentEncoding: "gzip"], body: .init(byteBuffer: ByteBuffer(bytes: gzipped)))
        }
        router.get("/latin1") { _, _ in
            let html = "<html><body><h2>To-do</h2><ul><li>Acheter du café</li><li>Crème brûlée</li></ul></body></html>"
            return Self.page(Array(html.data(using: .windowsCP1252)!), type: "text/html; charset=ISO-8859-1")
        }
        router.get("/image") { _, _ in Self.page([0x89, 0x50, 0x4E, 0x47], type: "image/png") }
        router.get("/missing") { _, _ in Response(status: .notFound) }
        router.get("/mutable") { _, _ in Self.page(Array(state.mutable.withLock { $0 }.utf8), type: "text/markdown") }
        server = LocalServer(router: router)
    }

    func start() async throws {
        try await server.start()
        state.port.withLock { $0 = Int(server.url.split(separator: ":").last!)! }
    }

    func stop() async { await server.stop() }

    /// `http://<host>:<port><path>`, `host` defaulting to 127.0.0.1.
    func url(_ path: String, host: String = "127.0.0.1") -> String {
        "http://\(host):\(state.port.withLock { $0 })\(path)"
    }

    /// Sets what `/mutable` serves.
    func setMutable(_ text: String) {
        state.mutable.withLock { $0 = text }
    }

    private static func page(_ bytes: [UInt8], type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// Compresses with the system's gzip (test data only).
    private static func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("sb-gzip-\(UUID().uuidString)")
        try Data(bytes).write(to: input)
        defer { try? FileManager.default.removeItem(at: input) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-c", input.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Array(output)
    }
}
