import AgentBase
import Foundation
import Testing

/// Roles, the access file, and the permissions the registry gives commands and message types.
struct AccessPolicyTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("roles hold permissions in order: viewer reads, operator writes, admin does everything")
    func rolesAndPermissions() {
        #expect(Role.viewer.allows(.read) && !Role.viewer.allows(.write))
        #expect(Role.operator.allows(.write) && !Role.operator.allows(.admin))
        #expect(Role.admin.allows(.admin))
        #expect(Role.least(holding: .write) == .operator)
    }

    @Test("an exact identity wins over a pattern, a longer pattern over a shorter; channel members get the default")
    func resolution() throws {
        let policy = try AccessPolicy.parse("""
        version: 1
        defaults:
          slack: viewer
          github: none
        identities:
          "slack:T1/*": operator
          "slack:T1/UBOSS": admin
          "slack:T1/UB*": viewer
          "telegram:7": none
        """)
        #expect(policy.role(of: "slack:T1/UBOSS", passedGate: false) == .admin)
        #expect(policy.role(of: "slack:T1/UBX", passedGate: true) == .viewer)
        #expect(policy.role(of: "slack:T1/U1", passedGate: false) == .operator)
        #expect(policy.role(of: "slack:T2/U1", passedGate: true) == .viewer)
        #expect(policy.role(of: "slack:T2/U1", passedGate: false) == nil)
        #expect(policy.role(of: "github:someone", passedGate: true) == nil)
        #expect(policy.role(of: "telegram:7", passedGate: true) == nil)
        #expect(policy.role(of: "telegram:8", passedGate: true) == .operator)
        #expect(policy.role(of: "api:ci", passedGate: true, channelRole: .viewer) == .viewer)
    }

    @Test("mistakes in the access file name the line and field", arguments: [
        ("version: 2\n", "version"),
        ("version: 1\ndefaults:\n  irc: admin\n", "defaults.irc"),
        ("version: 1\nidentities:\n  \"telegram:1\": root\n", "identities.telegram:1"),
        ("version: 1\nidentities:\n  bob: admin\n", "identities"),
        ("version: 1\nidentities:\n  \"slack:*x\": admin\n", "identities.slack:*x"),
    ])
    func errors(text: String, field: String) {
        #expect {
            _ = try AccessPolicy.parse(text, path: "access.yaml")
        } throws: { error in
            (error as? ConfigFileError)?.field == field && (error as? ConfigFileError)?.line != nil
        }
    }

    @Test("the shipped access file loads; a missing one gives the defaults")
    func shipped() throws {
        let policy = try AccessPolicy.load(path: Self.repository.appendingPathComponent("Registry/access.yaml").path)
        #expect(policy.role(of: "telegram:1", passedGate: true) == .operator)
        #expect(try AccessPolicy.load(path: "/nonexistent/access.yaml").grants.isEmpty)
    }

    @Test("the registry's permissions: reads and chat are write, forced deletes and pushes admin, /run admin, /create-pr write")
    func registryPermissions() throws {
        let registry = try AgentRegistry.load(path: Self.repository.appendingPathComponent("Registry/agents.yaml").path)
        #expect(registry.permission(for: "chat.message", payload: ["text": "hi"]) == .write)
        #expect(registry.permission(for: "todos.scrape", payload: ["url": "https://x"]) == .write)
        #expect(registry.permission(for: "repo.branch.delete", payload: ["name": "x"]) == .write)
        #expect(registry.permission(for: "repo.branch.delete", payload: ["name": "x", "force": true]) == .admin)
        #expect(registry.permission(for: "repo.merge", payload: ["push": false]) == .write)
        #expect(registry.permission(for: "repo.merge", payload: ["push": true]) == .admin)
        #expect(registry.permission(for: "repo.prune", payload: [:]) == .admin)
        #expect(registry.permission(for: "workflow.run", payload: ["workflow": "sync_todos"]) == .admin)
        let createPR = try #require(registry.command(named: "create-pr")?.command)
        #expect(registry.permission(for: "workflow.run", payload: ["workflow": "create_pr"], command: createPR) == .write)
        let run = try #require(registry.command(named: "run")?.command)
        #expect(registry.permission(for: "workflow.run", payload: ["workflow": "create_pr"], command: run) == .admin)
    }

    @Test("a permission naming a type the agent does not consume, or an unknown permission, is refused with its line")
    func registryPermissionErrors() {
        let base = "version: 1\nagents:\n  - name: a\n    consumes: [x.y]\n"
        #expect(throws: ConfigFileError.self) { _ = try AgentRegistry.parse(base + "    permissions:\n      z.w: admin\n") }
        #expect(throws: ConfigFileError.self) { _ = try AgentRegistry.parse(base + "    permissions:\n      x.y: root\n") }
        #expect(throws: ConfigFileError.self) { _ = try AgentRegistry.parse(base + "    permissions:\n      x.y: {permission: admin, when: [a]}\n") }
    }
}
