import AgentBase
import Foundation
import GitKit
import Hummingbird
import SwitchboardTesting
import Testing

/// The token reaches an HTTPS remote through `GIT_ASKPASS` only: never in argv, a URL, a file or an error.
struct CredentialTests {
    /// A git smart-HTTP endpoint that demands Basic auth and records the credentials it is sent.
    final class AuthRecorder: Sendable {
        let authorizations = Tally()
        let server: LocalServer

        init() {
            let router = Router()
            let authorizations = self.authorizations
            router.get("/**") { request, _ -> Response in
                guard let authorization = request.headers[.authorization] else {
                    return Response(status: .unauthorized, headers: [.wwwAuthenticate: "Basic realm=\"git\""])
                }
                authorizations.record(authorization)
                return Response(status: .forbidden)
            }
            server = LocalServer(router: router)
        }
    }

    @Test func theTokenTravelsOnlyThroughAskpass() async throws {
        let token = "ghp_" + String(repeating: "x", count: 36)
        let recorder = AuthRecorder()
        try await recorder.server.start()
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("sb-askpass-\(UUID().uuidString.prefix(8))", isDirectory: true)
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let argvLog = scratch.appendingPathComponent("argv.log")
        let wrapper = scratch.appendingPathComponent("git")
        try Data("#!/bin/sh\nprintf '%s\\n' \"$@\" >> '\(argvLog.path)'\nexec git \"$@\"\n".utf8).write(to: wrapper)
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: wrapper.path)
        let workspace = try GitKitTests.workspace(token: token, executable: wrapper.path)
        defer { try? FileManager.default.removeItem(at: workspace.root) }

        let url = recorder.server.url + "/example-org/private-repo.git"
        let error = await #expect(throws: GitError.self) { try await workspace.mirror(RepositoryURL(url)) }
        await recorder.server.stop()

        let expected = "Basic " + Data("x-access-token:\(token)".utf8).base64EncodedString()
        #expect(recorder.authorizations.keys.contains(expected))
        let message = try #require(error).description
        #expect(!message.contains(token))
        #expect(try #require(error).isMissingRepository)
        let argv = try String(contentsOf: argvLog, encoding: .utf8)
        #expect(argv.contains(url))
        #expect(!argv.contains(token) && !argv.contains("x-access-token"))
        let askpass = workspace.root.appendingPathComponent("bin/git-askpass")
        #expect(!(try String(contentsOf: askpass, encoding: .utf8)).contains(token))
        let mode = try FileManager.default.attributesOfItem(atPath: askpass.path)[.posixPermissions] as? Int
        #expect(mode == 0o700)
        let leftovers = try FileManager.default.subpathsOfDirectory(atPath: workspace.root.path)
        for path in leftovers where !path.hasPrefix("bin") {
            let file = workspace.root.appendingPathComponent(path)
            let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
            #expect(!text.contains(token), "\(path)")
        }
    }

    @Test func theTokenIsInNoLogLineTaskStateOrEvent() async throws {
        let token = "ghp_" + String(repeating: "z", count: 36)
        let recorder = AuthRecorder()
        try await recorder.server.start()
        let logs = CapturedLogs()
        let agent = try RepoAgent(environment: ["GITHUB_TOKEN": token], logger: logs.logger)

        let failure = try await agent.failure(RepoBranchesRequest(repoURL: recorder.server.url + "/example-org/private-repo.git"))
        let events = try await agent.bus.broker.events(stream: agent.bus.keys.events, after: "0-0", count: 1000, block: nil)
        let state = try await agent.bus.broker.send(["KEYS", "\(agent.bus.keys.prefix):*"]).array?.compactMap(\.string) ?? []
        var stored: [String] = []
        for key in state where key.contains(":task:") {
            stored += try await agent.bus.broker.send(["HGETALL", key]).array?.compactMap(\.string) ?? []
        }
        await agent.stop()
        await recorder.server.stop()

        #expect(recorder.authorizations.total > 0)
        #expect(failure.error == "repository_not_found")
        #expect(failure.reason.contains("GITHUB_TOKEN"))
        #expect(!logs.all.isEmpty)
        for text in [failure.reason] + logs.all + events.map(\.payload) + stored {
            #expect(!text.contains(token), "\(text)")
        }
    }
}
