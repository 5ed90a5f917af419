import AgentBase
import Foundation
@testable import LLMProviders
import Sandboxing
import SwitchboardTesting
import Testing

/// `ClaudeCLIModel` running a fake `claude` written by the test in a real bubblewrap sandbox: argv, the prompt on
/// stdin, working directory, stream-JSON events, the result with usage and cost, a failing run and a time limit.
@Suite struct ClaudeCLIModelTests {
    /// A temporary directory with a fake `claude` script and a worktree directory.
    struct Fixture {
        let root: URL
        let worktree: URL
        let program: URL

        init(_ body: String) throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("claude-cli-\(UUID().uuidString.prefix(8))")
            worktree = root.appendingPathComponent("worktree")
            try FileManager.default.createDirectory(at: worktree, withIntermediateDirectories: true)
            program = root.appendingPathComponent("claude")
            try ("#!/bin/sh\n" + body).write(to: program, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: program.path)
        }

        func model(timeout: Duration = .seconds(20)) -> ClaudeCLIModel {
            ClaudeCLIModel(executable: program.path, model: "sonnet-test", timeout: timeout, defaultDirectory: root.path, environment: [:],
                           sandbox: BubblewrapSandbox(configuration: SandboxConfiguration()))
        }

        func remove() { try? FileManager.default.removeItem(at: root) }
    }

    static let streamJSON = #"""
    pwd > cwd.txt
    for argument in "$@"; do printf '%s\n' "$argument"; done > argv.txt
    cat > stdin.txt
    echo '{"type":"system","subtype":"init","model":"claude-sonnet-test","cwd":"/x","tools":["Read","Write"]}'
    echo '{"type":"assistant","message":{"model":"claude-sonnet-test","role":"assistant","content":[{"type":"text","text":"Looking at the repo."}]}}'
    echo '{"type":"assistant","message":{"model":"claude-sonnet-test","role":"assistant","content":[{"type":"tool_use","id":"t1","name":"Write","input":{"file_path":"a.txt"}}]}}'
    echo '{"type":"result","subtype":"success","is_error":false,"result":"Wrote a.txt.","usage":{"input_tokens":100,"output_tokens":20,"cache_read_input_tokens":5},"total_cost_usd":0.0123}'
    """#

    @Test("runs by argv in the request's working directory; stream-JSON becomes events, the result text, usage and cost")
    func run() async throws {
        let fixture = try Fixture(Self.streamJSON)
        defer { fixture.remove() }
        var request = ModelRequest(system: "You write code.", messages: [.user("Create a.txt; don't use \"quotes\" or $HOME")])
        request.workingDirectory = fixture.worktree.path
        let log = EventLog()
        let response = try await fixture.model().respond(to: request) { await log.add($0) }
        #expect(response.text == "Wrote a.txt.")
        #expect(response.tokensIn == 105 && response.tokensOut == 20)
        #expect(response.costUSD == 0.0123)
        #expect(response.model == "claude-sonnet-test")
        #expect(await log.events == [.status("claude: init (claude-sonnet-test)"), .text("Looking at the repo."), .toolUse(name: "Write")])
        let cwd = try String(contentsOf: fixture.worktree.appendingPathComponent("cwd.txt"), encoding: .utf8)
        #expect(cwd.trimmingCharacters(in: .whitespacesAndNewlines) == fixture.worktree.path)
        let argv = try String(contentsOf: fixture.worktree.appendingPathComponent("argv.txt"), encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(argv == ["-p", "--output-format", "stream-json", "--verbose", "--model", "sonnet-test", ""])
        let stdin = try String(contentsOf: fixture.worktree.appendingPathComponent("stdin.txt"), encoding: .utf8)
        #expect(stdin == "You write code.\n\nCreate a.txt; don't use \"quotes\" or $HOME")
    }

    @Test("a run that reports an error or exits non-zero fails with the CLI's message")
    func failure() async throws {
        let fixture = try Fixture(#"""
        echo '{"type":"result","subtype":"error_during_execution","is_error":true,"result":"API key missing","usage":{"input_tokens":0,"output_tokens":0}}'
        exit 1
        """#)
        defer { fixture.remove() }
        let error = await #expect(throws: LanguageModelError.self) { try await fixture.model().respond(to: ModelRequest(system: "", messages: [.user("hi")])) }
        #expect(error?.description.contains("API key missing") == true)
    }

    @Test("a CLI that runs past its time limit is stopped: timedOut")
    func timeout() async throws {
        let fixture = try Fixture("sleep 30\n")
        defer { fixture.remove() }
        let error = await #expect(throws: LanguageModelError.self) { try await fixture.model(timeout: .seconds(1)).respond(to: ModelRequest(system: "", messages: [.user("hi")])) }
        #expect(error == .timedOut(seconds: 1))
    }

    @Test("the files sent with a turn: --add-dir names their folder, which the CLI can read but not write; an image is named in the prompt")
    func readOnlyFolder() async throws {
        let fixture = try Fixture(#"""
        prev=""
        for a in "$@"; do
          if [ "$prev" = "--add-dir" ]; then
            cat "$a/note.txt" > seen.txt
            (echo x > "$a/new.txt") 2>/dev/null && echo writable > access.txt || echo readonly > access.txt
          fi
          prev="$a"
        done
        cat > stdin.txt
        echo '{"type":"result","subtype":"success","is_error":false,"result":"Read it.","usage":{"input_tokens":1,"output_tokens":1}}'
        """#)
        defer { fixture.remove() }
        let folder = fixture.root.appendingPathComponent("attachments")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "sent by a person\n".write(to: folder.appendingPathComponent("note.txt"), atomically: true, encoding: .utf8)
        var request = ModelRequest(system: "", messages: [ModelMessage(role: .user, content: [.text("Look."), .image(name: "dot.png", mediaType: "image/png", bytes: [1])])])
        request.workingDirectory = fixture.worktree.path
        request.readOnlyDirectories = [folder.path]
        #expect(try await fixture.model().respond(to: request).text == "Read it.")
        #expect(try String(contentsOf: fixture.worktree.appendingPathComponent("seen.txt"), encoding: .utf8) == "sent by a person\n")
        #expect(try String(contentsOf: fixture.worktree.appendingPathComponent("access.txt"), encoding: .utf8) == "readonly\n")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("new.txt").path))
        #expect(try String(contentsOf: fixture.worktree.appendingPathComponent("stdin.txt"), encoding: .utf8).contains("[image dot.png: the file of that name in \(folder.path)]"))
    }

    @Test("a kept HOME and --resume: the first run's session id comes back, the next run resumes it; a session the folder no longer holds starts anew")
    func resume() async throws {
        let fixture = try Fixture(String(FakeClaudeCLI.script.drop { $0 != "\n" }))
        defer { fixture.remove() }
        let state = fixture.root.appendingPathComponent("state").path
        var request = ModelRequest(system: "", messages: [.user("one")])
        request.workingDirectory = fixture.worktree.path
        request.resume = ProviderSession(id: nil, stateDirectory: state)
        let first = try await fixture.model().respond(to: request)
        let id = try #require(first.session)
        #expect(first.text == "ran \(id)")
        request.resume = ProviderSession(id: id, stateDirectory: state)
        #expect(fixture.model().arguments(for: request).suffix(2) == ["--resume", id])
        let second = try await fixture.model().respond(to: request)
        #expect(second.text == "ran \(id)" && second.session == id)
        // Another replica's folder: the CLI cannot resume, so the run starts a new session.
        request.resume = ProviderSession(id: id, stateDirectory: fixture.root.appendingPathComponent("elsewhere").path)
        let log = EventLog()
        let third = try await fixture.model().respond(to: request) { await log.add($0) }
        #expect(third.session != nil && third.session != id)
        #expect(await log.events.contains { if case .status(let text) = $0 { text.contains("could not resume") } else { false } })
        // An id that could read as an option is never passed.
        request.resume = ProviderSession(id: "--dangerously-skip-permissions", stateDirectory: state)
        #expect(!fixture.model().arguments(for: request).contains("--resume"))
    }
}
