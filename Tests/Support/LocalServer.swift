import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import ServiceLifecycle
import Synchronization

/// A Hummingbird server on a free loopback port, for the fakes of outside APIs.
public final class LocalServer: Sendable {
    private let responder: RouterResponder<BasicRequestContext>
    private let server: HTTPServerBuilder
    private let port = Mutex<Int?>(nil)
    private let group = Mutex<ServiceGroup?>(nil)
    private let task = Mutex<Task<Void, any Error>?>(nil)

    public init(router: Router<BasicRequestContext>, server: HTTPServerBuilder = .http1()) {
        self.responder = router.buildResponder()
        self.server = server
    }

    public var url: String { "http://127.0.0.1:\(port.withLock { $0 } ?? 0)" }

    public func start() async throws {
        var logger = Logger(label: "fake-api")
        logger.logLevel = .critical
        let ready = AsyncStream<Int>.makeStream()
        let app = Application(responder: responder, server: server, configuration: .init(address: .hostname("127.0.0.1", port: 0)), onServerRunning: { channel in
            ready.continuation.yield(channel.localAddress?.port ?? 0)
        }, logger: logger)
        let serviceGroup = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        group.withLock { $0 = serviceGroup }
        task.withLock { $0 = Task { try await serviceGroup.run() } }
        for await bound in ready.stream {
            port.withLock { $0 = bound }
            break
        }
    }

    public func stop() async {
        await group.withLock { $0 }?.triggerGracefulShutdown()
        _ = await task.withLock { $0 }?.result
    }
}
