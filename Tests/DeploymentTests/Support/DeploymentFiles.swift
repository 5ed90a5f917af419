import AgentBase
import Foundation
import SwitchboardTesting

/// The deployment files of this repository and the set of services they must describe.
enum DeploymentFiles {
    static let root = RepositoryPaths.root

    static func text(_ relativePath: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(relativePath), encoding: .utf8)
    }

    /// Every service that runs from the image: the gateway, each registry agent, and the orchestrator
    /// (DESIGN.md's executables; the orchestrator is an agent even before it has a registry entry).
    static func services() throws -> Set<String> {
        Set(["gateway", "orchestrator"] + (try registry().agents.map(\.name)))
    }

    /// Services that consume a stream and therefore scale on it: every service but the gateway.
    static func agents() throws -> Set<String> {
        try services().subtracting(["gateway"])
    }

    /// Agents that clone repositories and keep them in `WORKSPACE_DIR`.
    static let gitAgents: Set<String> = ["pr-reviewer", "code-writer", "repo-manager"]
    /// Agents that run untrusted code (test commands) in bubblewrap, whose containers must allow user namespaces.
    static let sandboxAgents: Set<String> = ["code-writer", "repo-manager"]

    /// Containers beside Switchboard's own services in compose.yaml.
    static let infrastructure: Set<String> = ["redis", "redis-secret", "prometheus"]

    /// Benchmarks (`broker-bench`, `scraper-bench`, …) are tools for developers, not shipped in the image.
    static func isDeveloperTool(_ product: String) -> Bool {
        product.hasSuffix("-bench")
    }

    /// Executables the image must hold: every service plus the operator's CLI.
    static func imageExecutables() throws -> Set<String> {
        try services().union(["agentctl"])
    }

    static func registry() throws -> AgentRegistry {
        try AgentRegistry.load(path: RepositoryPaths.registry.path)
    }

    /// The request stream key of a service: the registry's `stream` (or `in:<name>`) under the prefix.
    static func stream(of agent: String, prefix: String) throws -> String {
        let stream = try registry().agent(named: agent)?.stream ?? "in:\(agent)"
        return "\(prefix):\(stream)"
    }

    /// `SB_SHUTDOWN_GRACE` as the services see it (the README's default, 25 s) in whole seconds.
    static func shutdownGraceSeconds(_ text: String?) -> Int {
        let grace = SwitchboardEnvironment(text.map { ["SB_SHUTDOWN_GRACE": $0] } ?? [:]).shutdownGrace
        return Int(grace.components.seconds)
    }

    /// Whole seconds of a duration such as `35s` or `2m`.
    static func seconds(_ text: String?) -> Int? {
        text.flatMap(DurationParser.parse).map { Int($0.components.seconds) }
    }

    /// The executable products of Package.swift (`.executable(name: "…"`).
    static func executableProducts() throws -> Set<String> {
        let manifest = try text("Package.swift")
        let pattern = /\.executable\(\s*name:\s*"([^"]+)"/
        return Set(manifest.matches(of: pattern).map { String($0.output.1) })
    }

    /// Names that hold a secret by the project's naming (`*_TOKEN`, `*_SECRET`, `*_KEY`, `*_TOKENS`, passwords).
    static func isSecretName(_ name: String) -> Bool {
        name.wholeMatch(of: /[A-Z0-9_]*(TOKEN|TOKENS|SECRET|KEY|PASSWORD)/) != nil
    }
}
