import AgentBase
import AsyncHTTPClient
import Foundation
import HummingbirdWSClient
import Logging
import NIOHTTP1
import ServiceLifecycle
import Synchronization

/// Slack Socket Mode (when `SLACK_APP_TOKEN` is set): no public URL needed. It opens a connection with
/// `apps.connections.open`, acknowledges every envelope at once, hands `events_api` envelopes to the same
/// path as the Events API and answers `slash_commands` in the acknowledgement. A connection that does not say
/// `hello` in time is given up; after every end of a connection it dials again after a growing pause
/// (`SocketModeRedial`), at once only when Slack asked for it with `disconnect`.
public struct SlackSocketMode: Service {
    let configuration: SlackConfiguration
    let front: SlackFront
    let http: HTTPClient
    /// How long a new connection may take to say `hello` (Slack does within a second or two).
    let helloTimeout: Duration
    let logger: Logger

    /// The largest envelope taken, in bytes (and the largest WebSocket frame).
    static let maxEnvelope = 1 << 22

    public init(configuration: SlackConfiguration, front: SlackFront, http: HTTPClient = .shared, helloTimeout: Duration = .seconds(10), logger: Logger) {
        self.configuration = configuration
        self.front = front
        self.http = http
        self.helloTimeout = helloTimeout
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown { await self.loop() }
    }

    private func loop() async {
        var redial = SocketModeRedial()
        while !Task.isCancelled {
            let connection = SocketModeConnection()
            var failure: (any Error)?
            do {
                try await serve(url: try await openConnection(), connection)
            } catch {
                failure = error
            }
            if Task.isCancelled { return }
            let outcome = connection.outcome
            let pause = redial.pause(after: outcome)
            if let reason = outcome.disconnectReason, outcome.helloReceived {
                logger.info("Slack asked for a new Socket Mode connection; reconnecting", metadata: ["reason": "\(reason)"])
            } else {
                let why = failure.map { Redactor.redact(String(describing: $0)) } ?? outcome.disconnectReason.map { "disconnect (\($0)) before hello" } ?? "closed by Slack"
                logger.warning("Slack Socket Mode connection ended; reconnecting after a pause", metadata: ["reason": "\(why)", "hello": "\(outcome.helloReceived)", "pause": "\(pause)"])
            }
            try? await Task.sleep(for: pause)
        }
    }

    /// `apps.connections.open` with the app token; returns the WebSocket URL.
    func openConnection() async throws -> String {
        guard let token = configuration.appToken else { throw ChannelError.permanent("SLACK_APP_TOKEN is not set") }
        let reply = try await JSONHTTPClient(http: http).send(
            .POST, "\(configuration.apiURL)/apps.connections.open", headers: [("Authorization", "Bearer \(token)")], body: [:],
            redacting: token, label: "Slack apps.connections.open"
        )
        guard reply.json["ok"]?.boolValue == true, let url = reply.json["url"]?.stringValue else {
            throw ChannelError.permanent("Slack apps.connections.open: \(reply.json["error"]?.stringValue ?? "HTTP \(reply.status)")")
        }
        return url
    }

    /// Runs one connection until it ends: Slack closes it or sends `disconnect`, or it says no `hello` within
    /// `helloTimeout` (which also ends a connection whose close was lost with the upgrade response: the WebSocket
    /// client then never sees the socket end), or a ping goes unanswered.
    private func serve(url: String, _ connection: SocketModeConnection) async throws {
        let settings = WebSocketClientConfiguration(maxFrameSize: Self.maxEnvelope, closeTimeout: .seconds(5), autoPing: .enabled(timePeriod: .seconds(30)))
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                try await WebSocketClient.connect(url: url, configuration: settings, logger: logger) { inbound, outbound, _ in
                    try await self.read(inbound, outbound, connection)
                }
                return true
            }
            group.addTask {
                try await Task.sleep(for: self.helloTimeout)
                guard connection.outcome.helloReceived else { throw SocketModeError.noHello(within: self.helloTimeout) }
                return false
            }
            // The watchdog ending quietly means `hello` came: go on until the connection ends. When it throws, the
            // group cancels the connection, which closes it.
            while let connectionEnded = try await group.next(), !connectionEnded {}
            group.cancelAll()
        }
    }

    /// Takes envelopes until the socket ends or Slack sends `disconnect`; acknowledges each at once.
    private func read(_ inbound: WebSocketInboundStream, _ outbound: WebSocketOutboundWriter, _ connection: SocketModeConnection) async throws {
        for try await message in inbound.messages(maxSize: Self.maxEnvelope) {
            guard case .text(let text) = message, let envelope = try? JSONValue(parsing: text) else { continue }
            switch envelope["type"]?.stringValue {
            case "hello":
                connection.update { $0.helloReceived = true }
                logger.info("Slack Socket Mode connected")
            case "disconnect":
                connection.update { $0.disconnectReason = envelope["reason"]?.stringValue ?? "unknown" }
                return
            default:
                guard let id = envelope["envelope_id"]?.stringValue else { continue }
                let ack = await handle(envelope)
                var reply: [String: JSONValue] = ["envelope_id": .string(id)]
                if let ack { reply["payload"] = .object(ack) }
                try await outbound.write(.text(JSONValue.object(reply).jsonString))
            }
        }
    }

    /// Handles one envelope; returns the payload to put in the acknowledgement (slash commands), if any.
    func handle(_ envelope: JSONValue) async -> [String: JSONValue]? {
        do {
            switch envelope["type"]?.stringValue {
            case "events_api":
                _ = try await front.accept(eventCallback: envelope["payload"] ?? .null)
                return nil
            case "slash_commands":
                let fields = (envelope["payload"]?.objectValue ?? [:]).compactMapValues(\.stringValue)
                return try await front.command(fields)
            case "interactive":
                _ = try await front.interaction(envelope["payload"] ?? .null)
                return nil
            default:
                return nil
            }
        } catch {
            logger.error("could not handle a Socket Mode envelope", metadata: ["error": "\(error)"])
            return nil
        }
    }
}

/// What one Socket Mode connection has seen, shared by its reader and its `hello` watchdog.
final class SocketModeConnection: Sendable {
    private let state = Mutex(SocketModeRedial.Outcome())

    var outcome: SocketModeRedial.Outcome { state.withLock { $0 } }

    func update(_ change: (inout SocketModeRedial.Outcome) -> Void) {
        state.withLock { change(&$0) }
    }
}

/// Why a Socket Mode connection was given up.
enum SocketModeError: Error, CustomStringConvertible {
    /// Slack did not say `hello` in time; the connection is closed and dialled again after a pause.
    case noHello(within: Duration)

    var description: String {
        switch self {
        case .noHello(let timeout): return "no hello from Slack within \(timeout) of connecting; giving the connection up (check SLACK_APP_TOKEN and that Socket Mode is enabled for the app)"
        }
    }
}
