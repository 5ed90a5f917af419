import AgentBase

/// A named workflow from `Registry/workflows.yaml`: inputs, steps (some in bounded loops), clean-up steps and an output.
public struct WorkflowDefinition: Sendable, Hashable {
    public var name: String
    public var description: String
    public var inputs: [WorkflowInput]
    public var items: [WorkflowItem]
    /// Steps run only when a failing step names one in `on_failure`.
    public var cleanup: [StepDefinition]
    /// The run's output; the last step's result when absent.
    public var output: TemplateValue?

    public init(name: String, description: String, inputs: [WorkflowInput], items: [WorkflowItem], cleanup: [StepDefinition] = [], output: TemplateValue? = nil) {
        self.name = name
        self.description = description
        self.inputs = inputs
        self.items = items
        self.cleanup = cleanup
        self.output = output
    }

    /// Every step, in loops and clean-up included, in file order.
    public var allSteps: [StepDefinition] {
        items.flatMap { item -> [StepDefinition] in
            switch item {
            case .step(let step): [step]
            case .loop(let loop): loop.steps
            }
        } + cleanup
    }

    /// The step with this name.
    public func step(named name: String) -> StepDefinition? {
        allSteps.first { $0.name == name }
    }

    /// The inputs of a run: given values checked against the declared ones, defaults filled in.
    public func resolveInputs(_ given: [String: JSONValue]) throws(WorkflowInputError) -> [String: JSONValue] {
        let known = Set(inputs.map(\.name))
        if let unknown = given.keys.sorted().first(where: { !known.contains($0) }) {
            throw WorkflowInputError(workflow: name, message: "unknown input '\(unknown)' (inputs: \(inputs.map(\.name).joined(separator: ", ")))")
        }
        var resolved: [String: JSONValue] = [:]
        for input in inputs {
            if let value = given[input.name], !value.isNull {
                resolved[input.name] = value
            } else if input.required {
                throw WorkflowInputError(workflow: name, message: "missing required input '\(input.name)'\(input.description.isEmpty ? "" : " (\(input.description))")")
            } else {
                resolved[input.name] = input.defaultValue ?? .null
            }
        }
        return resolved
    }
}

/// Inputs of a `workflow.run` that do not fit the workflow's declared inputs.
public struct WorkflowInputError: Error, Sendable, Hashable, CustomStringConvertible {
    public var workflow: String
    public var message: String

    public var description: String { "workflow '\(workflow)': \(message)" }
}

/// One declared input of a workflow.
public struct WorkflowInput: Sendable, Hashable, Codable {
    public var name: String
    public var description: String
    /// Required inputs have no default; an input with a default (even `null`) is optional.
    public var required: Bool
    public var defaultValue: JSONValue?

    enum CodingKeys: String, CodingKey {
        case name, description, required
        case defaultValue = "default"
    }
}

/// A top-level entry of a workflow's `steps`: a step, or a bounded loop over a group of steps.
public enum WorkflowItem: Sendable, Hashable {
    case step(StepDefinition)
    case loop(LoopDefinition)
}

/// A step: publish one agent message and wait for its task to end.
public struct StepDefinition: Sendable, Hashable {
    public var name: String
    /// The message type, e.g. `pr.review`.
    public var type: String
    /// The agent consuming `type` (from the registry) and its request stream relative to the prefix.
    public var agent: String
    public var stream: String
    public var payload: TemplateValue
    /// `if:`: the step runs only when this is true (see `JSONValue.isTruthy`); skipped otherwise.
    public var condition: Template?
    /// How long the step's task may take before it is cancelled and counted as failed.
    public var timeout: Duration?
    public var retry: RetryPolicy
    public var onFailure: FailurePolicy
}

/// `retry: {attempts, backoff}`: how many times a step's message is published in all, and the wait before each
/// further attempt (doubled each time).
public struct RetryPolicy: Sendable, Hashable {
    public var attempts: Int
    public var backoff: Duration

    public static let once = RetryPolicy(attempts: 1, backoff: .zero)

    /// The wait before attempt `attempt` (2, 3, …).
    public func delay(before attempt: Int) -> Duration {
        backoff * (1 << min(max(attempt - 2, 0), 16))
    }
}

/// `on_failure`: what a step's failure (after its retries) does to the run.
public enum FailurePolicy: Sendable, Hashable {
    /// End the run failed (the default).
    case stop
    /// Record the failure and go on with the next step.
    case `continue`
    /// Run this clean-up step, then end the run failed.
    case cleanup(String)
}

/// A bounded loop: before each iteration `until` is checked; the loop ends when it is true or after `max_iterations`.
public struct LoopDefinition: Sendable, Hashable {
    public var name: String
    public var until: Template
    /// A number, or a template that renders to one (e.g. `{{ inputs.max_iterations }}`).
    public var maxIterations: TemplateValue
    public var steps: [StepDefinition]
}
