import AgentBase
import AsyncHTTPClient
import Foundation
import HummingbirdWSClient
import Logging
import ServiceLifecycle

/// Slack Socket Mode (when `SLACK_APP_TOKEN` is set): no public URL needed. It opens a connection with
/// `apps.connections.open`, acknowledges every envelope at once, hands `events_api` envelopes to the same
/// path as the Events API and answers `slash_commands` in the acknowledgement; it reconnects when Slack
/// says `disconnect` or the socket drops.
public struct SlackSocketMode: Service {
    let configuration: SlackConfiguration
    let front: SlackFront
    let http: HTTPClient
    let logger: Logger

    public init(configuration: SlackConfiguration, front: SlackFront, http: HTTPClient = .shared, logger: Logger) {
        self.configuration = configuration
        self.front = front
        self.http = http
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown { await self.loop() }
    }

    private func loop() async {
        var backoff = Backoff(initial: .milliseconds(500), maximum: .seconds(30))
        while !Task.isCancelled {
            do {
                let url = try await openConnection()
                try await WebSocketClient.connect(url: url, logger: logger) { inbound, outbound, _ in
                    for try await message in inbound.messages(maxSize: 1 << 22) {
                        guard case .text(let text) = message, let envelope = try? JSONValue(parsing: text) else { continue }
                        if envelope["type"]?.stringValue == "disconnect" { return }
                        guard let id = envelope["envelope_id"]?.stringValue else { continue }
                        let ack = await self.handle(envelope)
                        var reply: [String: JSONValue] = ["envelope_id": .string(id)]
                        if let ack { reply["payload"] = .object(ack) }
                        try await outbound.write(.text(JSONValue.object(reply).jsonString))
                    }
                }
                backoff.reset()
            } catch {
                if Task.isCancelled { return }
                logger.warning("Slack Socket Mode connection failed; reconnecting", metadata: ["error": "\(Redactor.redact(String(describing: error)))", "pause": "\(backoff.current)"])
                try? await Task.sleep(for: backoff.next())
            }
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
