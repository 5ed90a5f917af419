import AgentBase
import Foundation
import GitKit
import Hummingbird
import Sandboxing
import SwitchboardTesting
import Testing

/// The token reaches only the forge's https host, through `GIT_ASKPASS` only: never another host (an allowed one
/// included), never in argv, a URL, a file or an error.
struct CredentialTests {
    /// A git smart-HTTP endpoint that demands Basic auth and records the requests and credentials it is sent.
    final class AuthRecorder: Sendable {
        let authorizations = Tally()
        let requests = Tally()
        let server: LocalServer

        init() {
            let router = Router()
            let authorizations = self.authorizations
            let requests = self.requests
            router.get("/**") { request, _ -> Response in
                requests.record(request.uri.path)
                guard let authorization = request.headers[.authorization] else {
                    return Response(status: .unauthorized, headers: [.wwwAuthenticate: "Basic realm=\"git\""])
                }
                authorizations.record(authorization)
                return Response(status: .forbidden)
            }
            server = LocalServer(router: router)
        }
    }

    /// A remote that is not the forge's https host gets no token, even when it is allowed (`SB_REPO_ALLOW`) and
    /// answers 401 with `WWW-Authenticate: Basic` (the old askpass answered every prompt with the token).
    @Test func anAllowedHostThatIsNotTheForgeNeverGetsTheToken() async throws {
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
        let workspace = try GitKitTests.workspace(token: token, executable: wrapper.path, allow: [recorder.server.url + "/"])
        defer { try? FileManager.default.removeItem(at: workspace.root) }

        let url = recorder.server.url + "/example-org/private-repo.git"
        let error = await #expect(throws: GitError.self) { try await workspace.mirror(workspace.repository(url)) }
        await recorder.server.stop()

        #expect(recorder.requests.total > 0, "git asked the server")
        let sent = recorder.authorizations.keys.compactMap { header in Data(base64Encoded: String(header.dropFirst("Basic ".count))).map { String(decoding: $0, as: UTF8.self) } }
        #expect(!sent.contains { $0.contains(token) }, "the token went to \(url)")
        #expect(try #require(error).isMissingRepository)
        #expect(!(try #require(error).description.contains(token)))
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

    /// The askpass helper answers only the forge host's https prompts, and only when git was given the token for it.
    @Test func askpassAnswersOnlyTheForgeHostsPrompt() async throws {
        let token = "ghp_" + String(repeating: "q", count: 36)
        let workspace = try GitKitTests.workspace(token: token)
        defer { try? FileManager.default.removeItem(at: workspace.root) }
        let askpass = workspace.root.appendingPathComponent("bin/git-askpass").path
        let forge = ["PATH": "/usr/bin:/bin", "SWITCHBOARD_GIT_HOST": "github.com", "SWITCHBOARD_GIT_TOKEN": token]
        func answer(_ prompt: String, _ environment: [String: String]) async throws -> String {
            try await CommandRunner().run([askpass, prompt], in: workspace.root, environment: environment, timeout: .seconds(10)).standardOutput
        }
        #expect(try await answer("Username for 'https://github.com': ", forge) == "x-access-token\n")
        #expect(try await answer("Password for 'https://x-access-token@github.com': ", forge) == token + "\n")
        for prompt in ["Password for 'https://x-access-token@github.com.evil.example': ", "Password for 'http://x-access-token@github.com': ",
                       "Password for 'https://x-access-token@127.0.0.1:8080': ", "Enter passphrase for key '/x': "] {
            #expect(try await answer(prompt, forge).isEmpty, "\(prompt)")
        }
        #expect(try await answer("Password for 'https://x-access-token@github.com': ", ["PATH": "/usr/bin:/bin"]).isEmpty)
    }

    @Test func theTokenIsInNoLogLineTaskStateOrEvent() async throws {
        let token = "ghp_" + String(repeating: "z", count: 36)
        let recorder = AuthRecorder()
        try await recorder.server.start()
        let logs = CapturedLogs()
        let agent = try RepoAgent(environment: ["GITHUB_TOKEN": token, "SB_REPO_ALLOW": recorder.server.url + "/"], logger: logs.logger)

        let failure = try await agent.failure(RepoBranchesRequest(repoURL: recorder.server.url + "/example-org/private-repo.git"))
        let events = try await agent.bus.broker.events.events(stream: agent.bus.keys.events, after: "0-0", count: 1000, block: nil)
        let state = try await agent.bus.broker.redis.send(["KEYS", "\(agent.bus.keys.prefix):*"]).array?.compactMap(\.string) ?? []
        var stored: [String] = []
        for key in state where key.contains(":task:") {
            stored += try await agent.bus.broker.redis.send(["HGETALL", key]).array?.compactMap(\.string) ?? []
        }
        await agent.stop()
        await recorder.server.stop()

        #expect(recorder.requests.total > 0)
        #expect(recorder.authorizations.total == 0, "nothing answered the 401 of a host that is not the forge")
        #expect(failure.error == "repository_not_found")
        #expect(failure.reason.contains("GITHUB_TOKEN"))
        #expect(!logs.all.isEmpty)
        for text in [failure.reason] + logs.all + events.map(\.payload) + stored {
            #expect(!text.contains(token), "\(text)")
        }
    }
}
