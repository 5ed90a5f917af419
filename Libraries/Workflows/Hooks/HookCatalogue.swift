import AgentBase
import Foundation

/// The endpoints of `Registry/webhooks.yaml` (`SB_WEBHOOKS`), validated against the registry and the workflows.
public struct HookCatalogue: Sendable, Hashable {
    /// Endpoints in file order.
    public var endpoints: [HookEndpoint]
    public var path: String

    public init(endpoints: [HookEndpoint], path: String) {
        self.endpoints = endpoints
        self.path = path
    }

    public func endpoint(named name: String) -> HookEndpoint? {
        endpoints.first { $0.name == name }
    }

    /// Reads and validates the file (a missing file is no endpoints); every mistake is a `file:line: field: message` error.
    public static func load(path: String, registry: AgentRegistry, workflows: WorkflowCatalogue) throws(ConfigFileError) -> HookCatalogue {
        guard FileManager.default.fileExists(atPath: path) else { return HookCatalogue(endpoints: [], path: path) }
        let parser = HookParser(path: path, registry: registry, workflows: workflows)
        return try parser.parse(parser.readFile("the webhook rules file"))
    }

    /// Parses and validates `text` as if read from `path`.
    public static func parse(_ text: String, path: String = "webhooks.yaml", registry: AgentRegistry, workflows: WorkflowCatalogue) throws(ConfigFileError) -> HookCatalogue {
        try HookParser(path: path, registry: registry, workflows: workflows).parse(text)
    }
}

/// A chat a rule sends to: `telegram:<chat id>` or `slack:<team>/<channel>`.
public struct HookDestination: Sendable, Hashable {
    public var channel: String
    public var chat: String

    public init?(_ text: String) {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[1].isEmpty else { return nil }
        switch parts[0] {
        case "telegram" where Int64(parts[1]) != nil: break
        case "slack" where parts[1].split(separator: "/").count == 2: break
        default: return nil
        }
        channel = parts[0]
        chat = parts[1]
    }
}

extension SwitchboardEnvironment {
    /// `SB_WEBHOOKS`, else `webhooks.yaml` beside the registry file.
    public var webhooksPath: String {
        value("SB_WEBHOOKS") ?? URL(fileURLWithPath: registryPath).deletingLastPathComponent().appendingPathComponent("webhooks.yaml").relativePath
    }
}
