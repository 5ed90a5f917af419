import AgentBase
import ArgumentParser
import Foundation
import Gateway

/// `agentctl sessions`: the coding sessions of conversations, most recently active first.
struct Sessions: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the coding sessions: conversation, repository, branch, turns, the running turn.")

    @OptionGroup var connection: ConnectionOptions

    @Flag(help: "Print JSON (times in ISO 8601).")
    var json = false

    func run() async throws {
        let bus = try connection.bus()
        defer { bus.close() }
        let sessions = try await SessionStore(storage: GatewayStorage(bus: bus), idleTTL: try connection.environment.sessionIdleTTL()).all()
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .iso8601
            Output.line(String(decoding: try encoder.encode(sessions), as: UTF8.self))
        } else {
            Output.table(["conversation", "repository", "base", "branch", "turns", "running", "queued", "bound by"], sessions.map { session in
                [
                    session.conversation, session.repoURL, session.base, session.branch, String(session.turns), session.running ?? "-",
                    String(session.queued), session.boundBy,
                ]
            })
        }
    }
}
