import AgentBase
import ArgumentParser
import Foundation
import Workflows

/// `agentctl registry check`.
struct RegistryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "registry", abstract: "Work with the agent registry.", subcommands: [Check.self])

    /// Validates the registry, the access file beside it, and that every consumed type has a schema.
    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Validate the registry, access, workflows and webhook rules files; errors name the file, line and field.")

        @OptionGroup var connection: ConnectionOptions

        @Flag(help: "Print JSON.")
        var json = false

        func run() async throws {
            let environment = connection.environment
            let registry: AgentRegistry
            let access: AccessPolicy
            let hooks: HookCatalogue
            do {
                registry = try AgentRegistry.load(path: environment.registryPath)
                access = try AccessPolicy.load(path: environment.accessPath)
                let workflows = FileManager.default.fileExists(atPath: environment.workflowsPath)
                    ? try WorkflowCatalogue.load(path: environment.workflowsPath, registry: registry) : WorkflowCatalogue(workflows: [], path: environment.workflowsPath)
                hooks = try HookCatalogue.load(path: environment.webhooksPath, registry: registry, workflows: workflows)
            } catch {
                if json { Output.json(["ok": false, "error": error.description]) } else { print("error: \(error)") }
                throw ExitCode(1)
            }
            var warnings: [String] = []
            let schemas = try? SchemaLibrary(directory: URL(fileURLWithPath: environment.schemasPath))
            for agent in registry.agents {
                for type in agent.consumes where schemas?.schema(named: type) == nil {
                    warnings.append("\(agent.name): no schema \(type).json in \(environment.schemasPath)")
                }
            }
            for endpoint in hooks.endpoints where endpoint.verification == nil {
                warnings.append("\(hooks.path): endpoint \(endpoint.name) has no verify: every delivery to it is refused")
            }
            let permissions = registry.agents.flatMap { agent in
                agent.consumes.map { type in "\(type)=\(registry.permission(for: type, payload: .object([:])).rawValue)" }
            }
            if json {
                Output.json(["ok": true, "path": registry.path, "access": access.path, "agents": registry.agents.map(\.name), "permissions": permissions, "webhooks": hooks.endpoints.map(\.name), "warnings": warnings])
            } else {
                print("ok: \(registry.path): \(registry.agents.count) agents (\(registry.agents.map(\.name).joined(separator: ", ")))")
                print("ok: \(access.path): \(access.grants.count) identities; defaults \(access.defaults.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value?.rawValue ?? (["api", "web"].contains($0.key) ? "the token's role" : ($0.key == "hook" ? "the endpoint's role" : "none")))" }.joined(separator: ", "))")
                print("ok: \(hooks.path): \(hooks.endpoints.count) webhook endpoints\(hooks.endpoints.isEmpty ? "" : " (\(hooks.endpoints.map(\.name).joined(separator: ", ")))")")
                for warning in warnings { print("warning: \(warning)") }
            }
        }
    }
}
