import AgentBase
@testable import CodeWriter
import Foundation
import LLMProviders
import Sandboxing
import SwitchboardTesting
import Testing

/// `session.turn` in code-writer alone: its bad input, the bounded history, and a redelivered turn.
@Suite("CodeWriter: session turns", .serialized)
struct SessionTurnTests {
    /// Publishes a turn (or a message of `type`) with `conversation` and waits for its task's `delivery`th end (a task
    /// delivered again ends again).
    static func send(_ payload: String, type: String = SessionTurnRequest.type, conversation: String?, task: String, delivery: Int = 1, in world: WriterFixture) async throws -> TaskEvent {
        let bus = world.agent.bus
        _ = try await bus.broker.queue.publish(
            Envelope(type: type, payload: payload, task: task, conversation: conversation), to: bus.keys.inbox(CodeWriterService.name))
        var ends: [TaskEvent] = []
        try await eventually("turn \(task) ends", timeout: .seconds(60)) {
            ends = try await bus.events(for: task).filter(\.isTerminal)
            return ends.count >= delivery
        }
        return ends[delivery - 1]
    }

    @Test("a malformed session.turn goes to the dead letters with the reason; one without a conversation fails as invalid_request")
    func badInput() async throws {
        let world = try await WriterFixture()
        try await withTeardown {
            let bad = try await Self.send(#"{"repo_url": 5, "text": "hi"}"#, conversation: "telegram:1", task: "bad-turn-1", in: world)
            #expect(bad.type == "task.failed")
            let letter = try #require(try await world.agent.bus.broker.deadLetters.deadLetters(agent: CodeWriterService.name, count: 10).first)
            #expect(letter["type"] == SessionTurnRequest.type)
            #expect(letter["reason"]?.contains("repo_url") == true, "\(letter)")

            let payload = String(decoding: try JSONEncoder().encode(SessionTurnRequest(repoURL: world.git.url, base: "main", text: "Add a file.")), as: UTF8.self)
            let orphan = try await Self.send(payload, conversation: nil, task: "bad-turn-2", in: world)
            let failure = try JSONDecoder().decode(TaskFailure.self, from: Data(orphan.payload.utf8))
            #expect(failure.error == "invalid_request")
            #expect(failure.reason.contains("conversation"))
        } teardown: {
            await world.stop()
        }
    }

    @Test("a turn redelivered after its commit was pushed (the task's state lost with its replica) makes no second commit")
    func redeliveredTurn() async throws {
        let model = ScriptedToolModel { turn, _ in
            turn == 1
                ? [ScriptedToolModel.call(1, 1, "write_file", ["path": "notes.txt", "content": "one\n"])]
                : [.text("Wrote notes.txt.")]
        }
        let world = try await WriterFixture(model: model)
        try await withTeardown {
            let payload = String(decoding: try JSONEncoder().encode(SessionTurnRequest(repoURL: world.git.url, base: "main", text: "Write a note.", requester: "telegram:42")), as: UTF8.self)
            let first = try await Self.send(payload, conversation: "telegram:900", task: "turn-once", in: world)
            #expect(first.type == "task.completed")
            let result = try JSONDecoder().decode(SessionTurnResult.self, from: Data(first.payload.utf8))
            let branch = SessionBranch.name(conversation: "telegram:900")
            #expect(result.branch == branch)
            #expect(result.filesChanged == [FileChange(path: "notes.txt", added: 1, removed: 0)])
            let message = try await GitFixture.run(["log", "-1", "--format=%B", "refs/heads/\(branch)"], in: world.git.remote)
            #expect(message.contains("Switchboard-Task: turn-once"))
            #expect(message.contains("Co-authored-by: telegram:42 <telegram-42@switchboard.invalid>"))

            // The replica died after pushing: its task state is gone and the entry comes again under the same task id.
            try await world.agent.bus.broker.redis.send(["DEL", world.agent.bus.keys.task("turn-once")])
            let again = try await Self.send(payload, conversation: "telegram:900", task: "turn-once", delivery: 2, in: world)
            #expect(again.type == "task.completed")
            let replay = try JSONDecoder().decode(SessionTurnResult.self, from: Data(again.payload.utf8))
            #expect(replay.commit == result.commit)
            #expect(replay.reply == "Wrote notes.txt.")
            #expect(try await world.git.log(branch).count == 3)
            #expect(model.requests.count == 2)
        } teardown: {
            await world.stop()
        }
    }

    @Test("/pr opens the session branch's pull request with the turns as body; after another turn it updates that one (body, and the title given); a repository off the forge needs repo")
    func pullRequest() async throws {
        let model = ScriptedToolModel { turn, _ in
            switch turn {
            case 1: [ScriptedToolModel.call(1, 1, "write_file", ["path": "notes.txt", "content": "one\n"])]
            case 3: [ScriptedToolModel.call(3, 1, "write_file", ["path": "notes.txt", "content": "one\ntwo\n"])]
            default: [.text(turn == 2 ? "Wrote notes.txt." : "Added a line.")]
            }
        }
        let world = try await WriterFixture(model: model)
        try await withTeardown {
            let encoder = JSONEncoder()
            let turn = String(decoding: try encoder.encode(SessionTurnRequest(repoURL: world.git.url, base: "main", text: "Write a note.")), as: UTF8.self)
            #expect(try await Self.send(turn, conversation: "telegram:901", task: "pr-turn", in: world).type == "task.completed")
            let command = SessionCommandRequest(repoURL: world.git.url, base: "main", command: .pr, repo: "example-org/example-repo")
            let payload = String(decoding: try encoder.encode(command), as: UTF8.self)
            let opened = try await Self.send(payload, type: SessionCommandRequest.type, conversation: "telegram:901", task: "pr-1", in: world)
            let first = try JSONDecoder().decode(SessionCommandResult.self, from: Data(opened.payload.utf8))
            #expect(first.prURL == "https://github.example/example-org/example-repo/pull/1" && first.reply.contains("opened"))
            let pull = try #require(world.forge.pulls.first)
            #expect(pull.head == SessionBranch.name(conversation: "telegram:901") && pull.base == "main" && pull.title == "Write a note.")
            #expect(pull.body.contains("- Write a note. (") && pull.body.contains("): Wrote notes.txt."))

            let second = String(decoding: try encoder.encode(SessionTurnRequest(repoURL: world.git.url, base: "main", text: "Add a line.")), as: UTF8.self)
            #expect(try await Self.send(second, conversation: "telegram:901", task: "pr-turn-2", in: world).type == "task.completed")
            var retitled = command
            retitled.title = "Notes, two lines"
            let updated = try await Self.send(String(decoding: try encoder.encode(retitled), as: UTF8.self), type: SessionCommandRequest.type, conversation: "telegram:901", task: "pr-2", in: world)
            let again = try JSONDecoder().decode(SessionCommandResult.self, from: Data(updated.payload.utf8))
            #expect(again.prURL == first.prURL && again.reply.contains("updated (its description now lists 2 turns)"))
            #expect(world.forge.pulls.count == 1)
            let now = try #require(world.forge.pulls.first)
            #expect(now.title == "Notes, two lines" && now.body.contains("- Add a line. (") && now.body.contains("- Write a note. ("))

            var offForge = command
            offForge.repo = nil
            let refused = try await Self.send(String(decoding: try encoder.encode(offForge), as: UTF8.self), type: SessionCommandRequest.type, conversation: "telegram:901", task: "pr-3", in: world)
            #expect(try JSONDecoder().decode(TaskFailure.self, from: Data(refused.payload.utf8)).error == "invalid_request")
        } teardown: {
            await world.stop()
        }
    }

    @Test("the history in the prompt is bounded: the newest turns in full, older ones one line each, the oldest left out")
    func boundedHistory() {
        let long = String(repeating: "x", count: 5_000)
        let turns = (1...40).map { SessionHistory.Turn(task: "t\($0)", text: "turn \($0) \(long)", reply: "reply \($0)", commit: nil) }
        let text = SessionPrompt.history(turns)
        #expect(text.hasPrefix("(10 older turns not shown)"))
        #expect(!text.contains("turn 10 "))
        #expect(text.contains("turn 11 "))
        #expect(text.count < 30 * 200 + 6 * 2 * 2_100)
        #expect(text.contains("turn 40 " + String(repeating: "x", count: 1_000)))
        #expect(!text.contains("turn 34 " + String(repeating: "x", count: 1_000)))
    }

    @Test("with claude-cli a session's turns run in one work tree path and the second turn resumes the first turn's CLI session")
    func claudeSessionResumed() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID().uuidString.prefix(8))", isDirectory: true)
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let program = try FakeClaudeCLI.install(in: root)
        let model = ClaudeCLIModel(executable: program.path, model: nil, timeout: .seconds(30), defaultDirectory: root.path, environment: [:], sandbox: BubblewrapSandbox(configuration: SandboxConfiguration()))
        let world = try await WriterFixture(model: model)
        try await withTeardown {
            for (index, text) in ["Log a run.", "Log another run."].enumerated() {
                let turn = String(decoding: try JSONEncoder().encode(SessionTurnRequest(repoURL: world.git.url, base: "main", text: text)), as: UTF8.self)
                #expect(try await Self.send(turn, conversation: "telegram:950", task: "cli-turn-\(index)", in: world).type == "task.completed")
            }
            let runs = try await world.git.file("runs.txt", at: SessionBranch.name(conversation: "telegram:950")).split(separator: "\n").map(String.init)
            #expect(runs.count == 2)
            let cwds = Set(runs.map { $0.split(separator: " ").first.map(String.init) ?? "" })
            #expect(cwds.count == 1)
            #expect(runs.first?.hasSuffix("resume=") == true)
            #expect(runs.last?.contains("resume=s") == true)
            #expect(try await world.git.log(SessionBranch.name(conversation: "telegram:950")).prefix(2) == ["Log another run.", "Log a run."])
        } teardown: {
            await world.stop()
            try? FileManager.default.removeItem(at: root)
        }
    }
}
