/// `workflow.run`: run a named multi-agent workflow (`pr_review`, `sync_todos`, `create_pr`, …) with free-form inputs.
public struct WorkflowRunRequest: AgentMessage, Hashable {
    public typealias Result = WorkflowRunResult
    public static let type = "workflow.run"

    /// Workflow name, e.g. `pr_review`.
    public var workflow: String
    /// The workflow's inputs; each workflow documents its own. Empty when absent.
    public var inputs: [String: JSONValue]

    enum CodingKeys: String, CodingKey {
        case workflow
        case inputs
    }

    public init(workflow: String, inputs: [String: JSONValue] = [:]) {
        self.workflow = workflow
        self.inputs = inputs
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        workflow = try container.decode(String.self, forKey: .workflow)
        inputs = try container.decodeIfPresent([String: JSONValue].self, forKey: .inputs) ?? [:]
    }
}

/// The result of `workflow.run`: each step's task and outcome, and the workflow's output.
public struct WorkflowRunResult: Codable, Sendable, Hashable {
    /// Workflow name.
    public var workflow: String
    /// Steps in the order they started.
    public var steps: [WorkflowStep]
    /// The workflow's final output (usually the last step's result, or a summary).
    public var output: JSONValue?

    enum CodingKeys: String, CodingKey {
        case workflow
        case steps
        case output
    }

    public init(workflow: String, steps: [WorkflowStep], output: JSONValue? = nil) {
        self.workflow = workflow
        self.steps = steps
        self.output = output
    }
}

/// One step of a workflow run: the task it published and how it ended.
public struct WorkflowStep: Codable, Sendable, Hashable {
    /// Step name within the workflow, e.g. `review`.
    public var name: String
    /// Id of the task the step published.
    public var task: String
    /// State of the step.
    public var status: WorkflowStepStatus
    /// The task's result, when it completed.
    public var result: JSONValue?
    /// Why the step failed, when it failed.
    public var error: String?

    enum CodingKeys: String, CodingKey {
        case name
        case task
        case status
        case result
        case error
    }

    public init(name: String, task: String, status: WorkflowStepStatus, result: JSONValue? = nil, error: String? = nil) {
        self.name = name
        self.task = task
        self.status = status
        self.result = result
        self.error = error
    }
}

/// State of a workflow step, mirroring task states plus `skipped`.
public enum WorkflowStepStatus: String, Codable, Sendable, Hashable, CaseIterable {
    case queued
    case running
    case completed
    case failed
    case cancelled
    case skipped
}
