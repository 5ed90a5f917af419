import AgentBase
import Foundation
import SwitchboardTesting
import Testing

/// The built `code-writer` executable as a child process, killed (SIGKILL) in the middle of a session turn and
/// replaced by another replica: the turn is redelivered and makes exactly one commit.
@Suite(.serialized)
struct SessionTurnCrashTests {
    /// The registry with code-writer's time limits cut down, so that a dead replica's entry is reclaimed in seconds.
    static func registry(in directory: URL) throws -> URL {
        let text = try String(contentsOf: RepositoryPaths.registry, encoding: .utf8)
        guard let start = text.range(of: "  - name: code-writer\n"), let end = text.range(of: "\n  - name: ", range: start.upperBound..<text.endIndex) else {
            throw CocoaError(.fileReadCorruptFile)
        }
        var block = String(text[start.lowerBound..<end.lowerBound])
        block = block.replacingOccurrences(of: #"timeout: [0-9]+[smh]\n"#, with: "timeout: 8s\n", options: .regularExpression)
        block = block.replacingOccurrences(of: #"visibility_timeout: [0-9]+[smh]\n"#, with: "visibility_timeout: 10s\n", options: .regularExpression)
        let url = directory.appendingPathComponent("agents.yaml")
        try text.replacingCharacters(in: start.lowerBound..<end.lowerBound, with: block).write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    @Test("a replica killed mid-turn leaves no commit; the turn is redelivered to another replica and makes exactly one")
    func killedMidTurn() async throws {
        let api = try await FakeModelAPI.started()
        let git = try await GitFixture.make()
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("sb-crash-\(UUID().uuidString.prefix(8))", isDirectory: true)
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        var processes: [Process] = []
        try await withTeardown {
            let write: (String) -> FakeModelAPI.Answer = { content in
                .anthropicMessage([FakeModelAPI.toolUse("toolu_\(UUID().uuidString.prefix(6))", "write_file", ["path": "notes.txt", "content": .string(content)])], stop: "tool_use")
            }
            // The first replica writes, then waits for an answer that comes after it is dead; the second does the turn.
            api.script(write("first try\n"), .delayed(.seconds(32), .anthropicText("too late")), write("second try\n"), .anthropicText("Wrote notes.txt."))
            let prefix = "crash\(UUID().uuidString.prefix(6).lowercased())"
            let registry = try Self.registry(in: root)
            func start(_ consumer: String) throws -> Process {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: RepositoryPaths.executable("code-writer"))
                process.environment = [
                    "REDIS_URL": try SharedRedis.url(), "SB_PREFIX": prefix, "SB_REGISTRY": registry.path, "SB_CONSUMER": consumer,
                    "WORKSPACE_DIR": root.appendingPathComponent(consumer).path, "SB_REPO_ALLOW": GitFixture.allowedPrefix,
                    "LLM_PROVIDER": "anthropic", "ANTHROPIC_BASE_URL": api.url, "ANTHROPIC_API_KEY": "sk-ant-" + String(repeating: "k", count: 20),
                    "LLM_STREAM": "false", "LLM_MAX_RETRIES": "0", "GIT_AUTHOR_NAME": "Repo Bot", "GIT_AUTHOR_EMAIL": "bot@example.com",
                    "PATH": "/usr/bin:/bin", "LOG_LEVEL": "warning",
                ]
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
                try process.run()
                processes.append(process)
                return process
            }
            let bus = try TestBus()
            let keys = KeySpace(prefix: prefix)
            let conversation = "telegram:4242"
            let turn = SessionTurnRequest(repoURL: git.url, base: "main", text: "Write the notes.", requester: "telegram:42")
            let first = try start("cw-a")
            let envelope = Envelope(type: SessionTurnRequest.type, payload: try JSONValue(encoding: turn).jsonString, task: "turn-crash-1", source: "telegram:4242", conversation: conversation)
            _ = try await bus.broker.queue.publish(envelope, to: keys.inbox("code-writer"))
            try await eventually("the first replica waits for the model's second answer", timeout: .seconds(60)) { api.received.count == 2 }
            kill(first.processIdentifier, SIGKILL)
            first.waitUntilExit()
            let branch = SessionBranch.name(conversation: conversation)
            #expect(try await git.head(branch) == nil)
            let killed = ContinuousClock.now
            _ = try start("cw-b")
            let status: @Sendable () async throws -> String? = {
                try await bus.broker.redis.send(["HGET", keys.task("turn-crash-1"), "status"]).string
            }
            try await eventually("the turn completed on the second replica", timeout: .seconds(90)) { try await status() == TaskStatus.completed.rawValue }
            print("killed mid-turn: redelivered and completed \(ContinuousClock.now - killed) after the kill (visibility 10 s, repository lock 30 s)")
            let log = try await git.log(branch)
            let base = try await git.log("main")
            #expect(log.first == "Write the notes." && log.count == base.count + 1)
            #expect(try await git.file("notes.txt", at: branch) == "second try\n")
        } teardown: {
            for process in processes where process.isRunning { kill(process.processIdentifier, SIGKILL) }
            await api.stop()
            git.remove()
            try? FileManager.default.removeItem(at: root)
        }
    }
}
