import AgentBase
import Foundation
@testable import Gateway
import Hummingbird
import HummingbirdTesting
import Logging
import NIOFoundationEssentialsCompat
import SwitchboardTesting
import Testing

/// A gateway started without `GATEWAY_API_TOKENS`: it makes an admin token, keeps it in Redis for every replica and
/// restart, and logs the login link whole while every other line still has the token masked.
@Suite(.serialized)
struct FirstRunTests {
    typealias Fixture = GatewayAPITests.Fixture

    @Test("the first start makes an admin token in Redis; another replica and a restart use the same one; Bearer works")
    func tokenIsSharedAndWorks() async throws {
        let prefix = "fr\(UUID().uuidString.prefix(8).lowercased())"
        let first = try await Fixture(["GATEWAY_API_TOKENS": "", "SB_PREFIX": prefix]).gateway.withFirstRunToken()
        let second = try await Fixture(["GATEWAY_API_TOKENS": "", "SB_PREFIX": prefix]).gateway.withFirstRunToken()
        let token = try #require(first.configuration.apiTokens[FirstRunToken.client])
        #expect(token.hasPrefix("sbt_") && token.count == 47)
        #expect(second.configuration.apiTokens == [FirstRunToken.client: token])
        #expect(try await first.bus.redis.send(["GET", first.bus.keys.firstRunToken]).string == token)
        #expect(try await first.bus.redis.send(["TTL", first.bus.keys.firstRunToken]).int == -1)
        try await second.makeApplication().test(.live) { client in
            let response = try await client.execute(uri: "/v1/agents", method: .get, headers: [.authorization: "Bearer \(token)"])
            #expect(response.status == .ok)
            let wrong = try await client.execute(uri: "/v1/agents", method: .get, headers: [.authorization: "Bearer \(FirstRunToken.generate())"])
            #expect(wrong.status == .unauthorized)
            // The token is an admin's: replaying a dead letter needs admin and gets past the permission check.
            let replay = try await client.execute(uri: "/v1/dlq/scraper/1-0/replay", method: .post, headers: [.authorization: "Bearer \(token)"])
            #expect(replay.status == .notFound)
        }
    }

    @Test("configured tokens: no first-run token is made and no link logged")
    func configuredTokensWin() async throws {
        let logs = CapturedLogs(rendering: .text)
        let fixture = try Fixture(["GATEWAY_API_TOKENS": "ci:\(GatewayAPITests.token)"], logger: logs.logger)
        let gateway = try await fixture.gateway.withFirstRunToken()
        #expect(gateway.configuration.apiTokens == ["ci": GatewayAPITests.token])
        #expect(try await gateway.bus.redis.send(["EXISTS", gateway.bus.keys.firstRunToken]).int == 0)
        try await gateway.makeApplication().test(.live) { _ in }
        #expect(!logs.all.contains { $0.contains("/login#token=") })
    }

    @Test("the login link is logged whole once the server listens, with its port; the token elsewhere stays masked")
    func loginLinkIsTheOneUnredactedLine() async throws {
        for format in [SwitchboardLogHandler.Format.text, .json] {
            let logs = CapturedLogs(rendering: format)
            let gateway = try await Fixture(["GATEWAY_API_TOKENS": ""], logger: logs.logger).gateway.withFirstRunToken()
            let token = try #require(gateway.configuration.apiTokens[FirstRunToken.client])
            let port = try await gateway.makeApplication().test(.live) { client in try #require(client.port) }
            let link = "http://127.0.0.1:\(port)/login#token=\(token)"
            let linkLines = logs.all.filter { $0.contains(token) }
            #expect(linkLines.count == 1, "\(format): \(logs.all)")
            #expect(linkLines.first?.contains(link) == true, "\(format): \(linkLines)")
            // A line that carries the token by mistake, in its message or in plain metadata, is still masked.
            let other = SwitchboardLogHandler.render(
                format: format, label: "gateway", level: .info, message: "presented \(token) at \(link)",
                metadata: ["copy": .string(link), "token": .string(token)], source: "test"
            )
            #expect(!other.contains(token), "\(format): \(other)")
        }
    }
}
