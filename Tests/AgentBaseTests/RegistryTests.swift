@testable import AgentBase
import Foundation
import SwitchboardTesting
import Testing

/// The registry loader and validator: the shipped file, and errors that name file, line and field.
struct RegistryTests {
    @Test("the shipped registry loads: six agents, their types and commands")
    func shippedRegistry() throws {
        let registry = try AgentRegistry.load(path: RepositoryPaths.registry.path)
        #expect(registry.agents.map(\.name) == ["pr-reviewer", "code-writer", "scraper", "repo-manager", "assistant", "orchestrator"])
        #expect(registry.agent(consuming: "workflow.run")?.name == "orchestrator")
        #expect(registry.agent(consuming: "todos.scrape")?.name == "scraper")
        #expect(registry.agent(consuming: "repo.merge")?.name == "repo-manager")
        #expect(registry.command(named: "review")?.agent.name == "pr-reviewer")
        #expect(registry.command(named: "sync-todos")?.command.message == "todos.scrape")
        #expect(registry.command(named: "create-pr")?.agent.name == "orchestrator")
        #expect(registry.command(named: "create-pr")?.command.workflow == "create_pr")
        for agent in registry.agents {
            #expect(agent.visibilityTimeout > agent.timeout)
            #expect(agent.stream == "in:\(agent.name)")
            for type in agent.consumes {
                #expect(MessageCatalogue.request(named: type) != nil, "no Swift type for \(type)")
            }
        }
    }

    private func error(_ yaml: String) -> RegistryError? {
        do {
            _ = try AgentRegistry.parse(yaml, path: "agents.yaml")
            return nil
        } catch {
            return error
        }
    }

    private let valid = """
    version: 1
    agents:
      - name: scraper
        consumes: [todos.scrape]
        timeout: 30s
        visibility_timeout: 2m
    """

    @Test("a minimal entry gets the defaults")
    func defaults() throws {
        let registry = try AgentRegistry.parse(valid)
        let agent = try #require(registry.agents.first)
        #expect(agent.stream == "in:scraper")
        #expect(agent.timeout == .seconds(30))
        #expect(agent.visibilityTimeout == .seconds(120))
        #expect(agent.maxAttempts == 3)
        #expect(agent.concurrency == 4)
    }

    @Test("errors name the file, the line and the field", arguments: [
        ("version: 1\nagents:\n  - name: scraper\n    consumes: [todos.scrape]\n    concurency: 3\n", 5, "agents[0].concurency", "unknown field"),
        ("version: 1\nagents:\n  - name: scraper\n    consumes: [todos.scrape]\n    timeout: 10m\n    visibility_timeout: 5m\n", 6, "agents[0].visibility_timeout", "must be longer than timeout"),
        ("version: 1\nagents:\n  - name: scraper\n    consumes: [todos.scrape]\n    timeout: soon\n", 5, "agents[0].timeout", "positive duration"),
        ("version: 1\nagents:\n  - name: Scraper\n    consumes: [todos.scrape]\n", 3, "agents[0].name", "lower-case"),
        ("version: 1\nagents:\n  - name: scraper\n    consumes: []\n", 4, "agents[0].consumes", "at least one"),
        ("version: 1\nagents:\n  - name: scraper\n    consumes: [todos.scrape]\n    concurrency: 0\n", 5, "agents[0].concurrency", "at least 1"),
        ("version: 1\nagents:\n  - name: scraper\n    consumes: [todos.scrape]\n    commands:\n      - name: sync\n        message: pr.review\n        usage: /sync <url>\n", 7, "agents[0].commands[0].message", "not one of this agent's consumes"),
        ("version: 1\nagents:\n  - name: a\n    consumes: [x.y]\n  - name: a\n    consumes: [x.z]\n", 5, "agents[1].name", "duplicate agent"),
        ("version: 2\nagents: []\n", 1, "version", "must be 1"),
    ] as [(String, Int, String, String)])
    func errorsPointAtTheProblem(yaml: String, line: Int, field: String, message: String) throws {
        let failure = try #require(error(yaml))
        #expect(failure.file == "agents.yaml")
        #expect(failure.line == line)
        #expect(failure.field == field)
        #expect(failure.message.contains(message), "\(failure)")
        #expect(failure.description.hasPrefix("agents.yaml:\(line): \(field): "))
    }

    @Test("broken YAML and a missing file are reported, not crashed on")
    func unreadable() throws {
        let broken = try #require(error("version: 1\nagents:\n  - name: [unclosed\n"))
        #expect(broken.message.contains("not valid YAML"))
        #expect(throws: RegistryError.self) { try AgentRegistry.load(path: "/nonexistent/agents.yaml") }
    }

    @Test("durations: seconds as numbers, or ms/s/m/h")
    func durations() {
        #expect(DurationParser.parse("90") == .seconds(90))
        #expect(DurationParser.parse("1.5") == .milliseconds(1500))
        #expect(DurationParser.parse("500ms") == .milliseconds(500))
        #expect(DurationParser.parse("30s") == .seconds(30))
        #expect(DurationParser.parse("10m") == .seconds(600))
        #expect(DurationParser.parse("1h") == .seconds(3600))
        #expect(DurationParser.parse("soon") == nil)
    }

    @Test("a service with an invalid registry refuses to start and says why")
    func serviceRefusesInvalidRegistry() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("agents-\(UUID().uuidString).yaml")
        try "version: 1\nagents:\n  - name: scraper\n    consumes: [todos.scrape]\n    max_attempts: none\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let environment = SwitchboardEnvironment(["SB_REGISTRY": file.path])
        #expect {
            _ = try AgentApplication(agent: "scraper", environment: environment) { _ in }
        } throws: { error in
            "\(error)" == "\(file.path):5: agents[0].max_attempts: must be a whole number"
        }
        #expect(throws: RegistryError.self) {
            _ = try AgentApplication(agent: "scraper", environment: SwitchboardEnvironment(["SB_REGISTRY": RepositoryPaths.registry.path])) { _ in }
        }
    }
}
