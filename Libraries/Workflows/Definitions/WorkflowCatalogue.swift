import AgentBase
import Foundation

/// The workflows of `Registry/workflows.yaml` (`SB_WORKFLOWS`), validated against the agent registry.
public struct WorkflowCatalogue: Sendable, Hashable {
    /// Workflows in file order.
    public var workflows: [WorkflowDefinition]
    public var path: String

    public init(workflows: [WorkflowDefinition], path: String) {
        self.workflows = workflows
        self.path = path
    }

    public func workflow(named name: String) -> WorkflowDefinition? {
        workflows.first { $0.name == name }
    }

    /// Reads and validates the file; every mistake is a `file:line: field: message` error.
    public static func load(path: String, registry: AgentRegistry) throws(ConfigFileError) -> WorkflowCatalogue {
        let parser = WorkflowParser(path: path, registry: registry)
        return try parser.parse(parser.readFile("the workflows file"))
    }

    /// Parses and validates `text` as if read from `path`.
    public static func parse(_ text: String, path: String = "workflows.yaml", registry: AgentRegistry) throws(ConfigFileError) -> WorkflowCatalogue {
        try WorkflowParser(path: path, registry: registry).parse(text)
    }
}

extension SwitchboardEnvironment {
    /// `SB_WORKFLOWS`, else `workflows.yaml` beside the registry file.
    public var workflowsPath: String {
        value("SB_WORKFLOWS") ?? URL(fileURLWithPath: registryPath).deletingLastPathComponent().appendingPathComponent("workflows.yaml").relativePath
    }

    /// `SB_SCHEDULES`, else `schedules.yaml` beside the registry file.
    public var schedulesPath: String {
        value("SB_SCHEDULES") ?? URL(fileURLWithPath: registryPath).deletingLastPathComponent().appendingPathComponent("schedules.yaml").relativePath
    }
}
