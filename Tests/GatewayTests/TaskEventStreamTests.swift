import AgentBase
import Foundation
@testable import Gateway
import Hummingbird
import HummingbirdTesting
import NIOFoundationEssentialsCompat
import Testing

/// `GET /v1/tasks/{id}/events` over a plain socket: keep-alive comments while the task is quiet, a client that hangs
/// up is noticed and released, and graceful shutdown ends open streams.
@Suite(.serialized)
struct TaskEventStreamTests {
    typealias Fixture = GatewayAPITests.Fixture

    /// A task that stays queued (no scraper runs in these tests).
    static func queuedTask(_ client: some TestClientProtocol, _ fixture: Fixture) async throws -> String {
        let response = try await client.execute(uri: "/v1/messages", method: .post, headers: fixture.auth, body: ByteBuffer(string: GatewayAPITests.scrape))
        return try #require(try GatewayAPITests.json(response.body)["task"]?.stringValue)
    }

    static func events(_ task: String, port: Int) throws -> RawHTTPConnection {
        try RawHTTPConnection(port: port, get: "/v1/tasks/\(task)/events", headers: ["Authorization: Bearer \(GatewayAPITests.token)", "Accept: text/event-stream"])
    }

    @Test("a quiet stream writes ': keep-alive' comments; a client that hangs up is released within a few of them")
    func disconnectIsNoticed() async throws {
        let fixture = try Fixture(["GATEWAY_SSE_KEEPALIVE": "200ms"])
        try await fixture.gateway.makeApplication().test(.live) { client in
            let task = try await Self.queuedTask(client, fixture)
            let connection = try Self.events(task, port: try #require(client.port))
            #expect(try await connection.read(until: "event: task.snapshot"))
            #expect(try await connection.read(until: ": keep-alive\n\n"))
            #expect(fixture.gateway.events.isWatched(task))
            connection.close()
            try await waitUntil("the stream of a client that hung up ends", timeout: .seconds(5)) { !fixture.gateway.events.isWatched(task) }
            #expect(!fixture.gateway.events.isWatched(task))
        }
    }

    @Test("graceful shutdown ends every open stream, so the server drains at once")
    func shutdownEndsStreams() async throws {
        let fixture = try Fixture(["GATEWAY_SSE_KEEPALIVE": "60s"])
        let started = ContinuousClock.now
        let connections = try await fixture.gateway.makeApplication().test(.live) { client in
            let task = try await Self.queuedTask(client, fixture)
            var connections: [RawHTTPConnection] = []
            for _ in 0..<3 {
                let connection = try Self.events(task, port: try #require(client.port))
                #expect(try await connection.read(until: "event: task.snapshot"))
                connections.append(connection)
            }
            return connections
        }
        #expect(ContinuousClock.now - started < .seconds(10))
        for connection in connections {
            #expect(try await connection.readToEnd(timeout: .seconds(2)), "the stream ended with the server")
            #expect(connection.received.hasSuffix("0\r\n\r\n"), "the chunked body was finished, not cut")
            connection.close()
        }
    }

    @Test("GATEWAY_SSE_MAX_AGE ends a task's stream and the all-events stream after that long, the body finished")
    func maxAgeEndsStreams() async throws {
        let fixture = try Fixture(["GATEWAY_SSE_KEEPALIVE": "60s", "GATEWAY_SSE_MAX_AGE": "300ms"])
        try await fixture.gateway.makeApplication().test(.live) { client in
            let task = try await Self.queuedTask(client, fixture)
            let port = try #require(client.port)
            let headers = ["Authorization: Bearer \(GatewayAPITests.token)", "Connection: close"]
            let streams = ["/v1/tasks/\(task)/events", "/v1/events"]
            for connection in try streams.map({ try RawHTTPConnection(port: port, get: $0, headers: headers) }) {
                #expect(try await connection.readToEnd(timeout: .seconds(5)), "the stream ended by itself")
                #expect(connection.received.hasSuffix("0\r\n\r\n"), "the chunked body was finished, not cut")
                connection.close()
            }
        }
    }
}
