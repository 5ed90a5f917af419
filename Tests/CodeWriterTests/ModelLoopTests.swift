import AgentBase
import Foundation
import SwitchboardTesting
import Testing

/// `code.write` from a spec through the model's tool loop, with a scripted model.
@Suite("CodeWriter: model loop", .serialized)
struct ModelLoopTests {
    @Test("the model writes a file through tool calls, sees the test fail, fixes it on the second turn, and a PR is opened")
    func writesAndFixes() async throws {
        let model = ScriptedToolModel { turn, request in
            switch turn {
            case 1: return [.text("Writing the greeting."), ScriptedToolModel.call(1, 0, "write_file", ["path": "greeting.txt", "content": "Hello, wrld\n"]),
                            ScriptedToolModel.call(1, 1, "run_tests", [:])]
            case 2:
                let failed = ScriptedToolModel.results(in: request).contains { $0.content.hasPrefix("FAILED") }
                return failed ? [ScriptedToolModel.call(2, 0, "write_file", ["path": "greeting.txt", "content": "Hello, world\n"])] : [.text("no failure seen")]
            default: return [.text("Added greeting.txt saying Hello, world.")]
            }
        }
        let world = try await WriterFixture(model: model)
        try await withTeardown {
            let result = try await world.agent.result(world.request(), task: "cw-loop-1")

            #expect(result.tests?.passed == true)
            #expect(try await world.git.file("greeting.txt", at: result.branch) == "Hello, world\n")
            #expect((try? await world.git.file("test-run.log", at: result.branch)) == nil)
            #expect(result.prURL != nil)
            #expect(model.requests.count == 3)
            #expect(model.requests.first?.tools.map(\.name) == ["list_files", "read_file", "write_file", "search", "run_tests"])
            #expect(world.forge.pulls.first?.body.contains("### What changed\n\nAdded greeting.txt saying Hello, world.") == true)
            let progress = try await world.progress(of: "cw-loop-1")
            #expect(progress.contains("turn 1: write_file greeting.txt"))
            #expect(progress.contains("turn 1: run_tests"))
            #expect(progress.contains("turn 2: write_file greeting.txt"))
            #expect(progress.contains("turn 3: the model is done; running the tests"))
            let usage = try await world.agent.bus.broker.tasks.task("cw-loop-1")
            #expect(usage?.fields["tokens_in"] == "300")
        } teardown: {
            await world.stop()
        }
    }

    @Test("paths that would leave the work tree are refused as tool errors; the task goes on")
    func escapingPathsRefused() async throws {
        let model = ScriptedToolModel { turn, request in
            switch turn {
            case 1: return [ScriptedToolModel.call(1, 0, "write_file", ["path": "../escape.txt", "content": "out"]),
                            ScriptedToolModel.call(1, 1, "read_file", ["path": "/etc/hostname"]),
                            ScriptedToolModel.call(1, 2, "list_files", ["path": "../.."])]
            case 2:
                let refused = ScriptedToolModel.results(in: request).allSatisfy { $0.isError && $0.content.hasPrefix("refused path") }
                return [ScriptedToolModel.call(2, 0, "write_file", ["path": "greeting.txt", "content": refused ? "Hello, world\n" : "escaped\n"])]
            default: return [.text("Done.")]
            }
        }
        let world = try await WriterFixture(model: model)
        try await withTeardown {
            let result = try await world.agent.result(world.request(openPR: false), task: "cw-escape-1")

            #expect(try await world.git.file("greeting.txt", at: result.branch) == "Hello, world\n")
            let results = ScriptedToolModel.results(in: try #require(model.requests.dropFirst().first))
            #expect(results.map { $0.isError } == [true, true, true])
            #expect(results.first?.content == "refused path '../escape.txt': '..' is not allowed")
            let workspace = world.agent.workspace.appendingPathComponent("code-writer/worktrees")
            #expect(!FileManager.default.fileExists(atPath: workspace.appendingPathComponent("escape.txt").path))
        } teardown: {
            await world.stop()
        }
    }

    @Test("the turn limit stops a model that never finishes: the branch is pushed for inspection, no PR")
    func turnLimit() async throws {
        let model = ScriptedToolModel { turn, _ in
            [ScriptedToolModel.call(turn, 0, "write_file", ["path": "notes.txt", "content": .string("turn \(turn)\n")])]
        }
        let world = try await WriterFixture(model: model, environment: ["CODEWRITER_MAX_TURNS": "3"])
        try await withTeardown {
            let result = try await world.agent.result(world.request(), task: "cw-limit-1")

            #expect(model.requests.count == 3)
            #expect(result.note == "the model did not finish within 3 turns (CODEWRITER_MAX_TURNS); the tests failed: the branch was pushed for inspection; no pull request was opened")
            #expect(result.tests?.passed == false)
            #expect(result.prURL == nil)
            #expect(world.forge.requests.isEmpty)
            #expect(try await world.git.file("notes.txt", at: result.branch) == "turn 3\n")
        } teardown: {
            await world.stop()
        }
    }

    @Test("a budget error stops the loop: what was written is pushed for inspection, no PR")
    func budgetExhausted() async throws {
        let model = ScriptedToolModel { turn, _ in
            guard turn == 1 else { throw LanguageModelError.overBudget("user alice has spent 5.00 of 5.00 USD today") }
            return [ScriptedToolModel.call(1, 0, "write_file", ["path": "greeting.txt", "content": "Hello, world\n"])]
        }
        let world = try await WriterFixture(model: model)
        try await withTeardown {
            let result = try await world.agent.result(world.request(), task: "cw-budget-1")

            #expect(model.requests.count == 2)
            #expect(result.note == "the model's budget ran out: user alice has spent 5.00 of 5.00 USD today; no pull request was opened")
            #expect(result.tests?.passed == true)
            #expect(result.prURL == nil)
            #expect(try await world.git.file("greeting.txt", at: result.branch) == "Hello, world\n")
        } teardown: {
            await world.stop()
        }
    }

    @Test("search finds text in the work tree and a bad regular expression is a tool error")
    func search() async throws {
        let model = ScriptedToolModel { turn, _ in
            switch turn {
            case 1: return [ScriptedToolModel.call(1, 0, "search", ["pattern": "beta"]), ScriptedToolModel.call(1, 1, "search", ["pattern": "^(g|d)", "regex": true]),
                            ScriptedToolModel.call(1, 2, "search", ["pattern": "(", "regex": true])]
            case 2: return [ScriptedToolModel.call(2, 0, "write_file", ["path": "greeting.txt", "content": "Hello, world\n"])]
            default: return [.text("Done.")]
            }
        }
        let world = try await WriterFixture(model: model)
        try await withTeardown {
            _ = try await world.agent.result(world.request(openPR: false), task: "cw-search-1")

            let results = ScriptedToolModel.results(in: try #require(model.requests.dropFirst().first))
            #expect(Array(results.map { $0.content }.prefix(2)) == ["config.txt:2: beta", "config.txt:3: gamma"])
            #expect(results.last?.isError == true)
        } teardown: {
            await world.stop()
        }
    }
}
