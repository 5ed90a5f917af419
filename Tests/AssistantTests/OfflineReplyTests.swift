import AgentBase
@testable import Assistant
import Foundation
import SwitchboardTesting
import Testing

/// The assistant without a model, on the real registry: phrasings find the right command's usage; greetings and
/// unmatched text get the command list, never an empty or canned refusal.
@Suite struct OfflineReplyTests {
    static let offline: OfflineReply = {
        let registry = try! AgentRegistry.load(path: RepositoryPaths.registry.path)
        return OfflineReply(catalogue: CommandCatalogue(registry: registry))
    }()

    @Test("a request for a code change also points to /session; other requests do not")
    func sessionHint() throws {
        let reply = OfflineReply(catalogue: CommandCatalogue(registry: try AgentRegistry.load(path: RepositoryPaths.registry.path)))
        #expect(reply.reply(to: "implement a dark mode feature").reply.hasSuffix("`/session <owner/repo>`: then every message is a coding turn on its own branch."))
        #expect(!reply.reply(to: "please review my PR").reply.contains("/session"))
    }

    @Test("phrasings lead to the command that does it, with its usage line", arguments: [
        ("can you look at pull request 42 in example-org/example-repo?", "review"),
        ("please review my PR", "review"),
        ("merge feature into main", "merge"),
        ("I want to merging the develop branch into release", "merge"),
        ("rebase my branch onto main", "rebase"),
        ("delete the old branch", "delete-branch"),
        ("prune the stale branches", "prune"),
        ("list the branches of the repo", "branches"),
        ("sync my todo list from https://todo.example.com", "sync-todos"),
        ("write code that adds a login page and open a pr", "create-pr"),
        ("implement a dark mode feature", "create-pr"),
        ("describe pull request 7 for me: a title and a walkthrough", "describe"),
        ("I want to ask a question about PR 7: does it touch the tests?", "ask"),
    ])
    func phrasings(text: String, command: String) {
        let result = Self.offline.reply(to: text)
        let suggested = result.suggestedCommand ?? ""
        #expect(suggested.hasPrefix("/\(command) ") || suggested == "/\(command)", "\(text) → \(suggested)")
        #expect(result.reply.contains("Usage: `/\(command)"), "\(text)")
    }

    @Test("greetings and help show every command's usage", arguments: ["hi", "Hello!", "help", "what can you do?", "/help"])
    func help(text: String) {
        let result = Self.offline.reply(to: text)
        #expect(result.suggestedCommand == nil)
        for command in Self.offline.catalogue.entries { #expect(result.reply.contains(command.command.usage), "\(command.command.name)") }
    }

    @Test("text that matches nothing still gets the list, and says so")
    func unmatched() {
        let result = Self.offline.reply(to: "the weather in Lisbon tomorrow")
        #expect(result.reply.contains("could not tell which command fits"))
        #expect(result.reply.contains("/review"))
        #expect(!result.reply.lowercased().contains("not supported"))
    }

    @Test("the model's COMMAND line becomes suggested_command only for a known command")
    func parseAnswer() {
        let catalogue = Self.offline.catalogue
        let known = AssistantPrompt.result(from: "I can merge that.\nCOMMAND: `/merge https://git.example.com/r.git feature main`", catalogue: catalogue)
        #expect(known == ChatMessageResult(reply: "I can merge that.", suggestedCommand: "/merge https://git.example.com/r.git feature main"))
        let unknown = AssistantPrompt.result(from: "Sure.\nCOMMAND: /launch rockets", catalogue: catalogue)
        #expect(unknown == ChatMessageResult(reply: "Sure.", suggestedCommand: nil))
        let turns = AssistantPrompt.messages(context: [ChatTurn(role: "assistant", text: "Welcome"), ChatTurn(role: "user", text: "a"), ChatTurn(role: "user", text: "b"), ChatTurn(role: "assistant", text: "c")], text: "d")
        #expect(turns == [.user("a\n\nb"), .assistant("c"), .user("d")])
    }
}
