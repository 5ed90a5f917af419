import AgentBase

/// A workflow run as stored in `sb:run:<run>`: everything needed to continue it on any replica.
public struct RunState: Codable, Sendable, Hashable {
    public var run: String
    public var workflow: String
    public var inputs: [String: JSONValue]
    public var status: RunStatus
    /// The conversation of the `workflow.run` request, passed on to each step.
    public var conversation: String?
    /// Where the run is in the workflow's items.
    var cursor = RunCursor()
    /// The step attempt in flight (published or waiting for its backoff), if any.
    public var current: StepAttempt?
    /// Every step that ended (completed, failed, skipped), in order.
    public var steps: [WorkflowStep] = []
    /// The latest outcome of each step by name (`{task, status, result, error, iteration}`): `steps.<name>` in templates.
    var outcomes: [String: JSONValue] = [:]
    /// Iterations started per loop.
    var loops: [String: Int] = [:]
    /// Why the run failed.
    public var failure: String?
    /// The clean-up step being run after a failure.
    var cleanup: String?
    public var output: JSONValue?
    /// Unix time in milliseconds.
    public var createdAt: Int64

    /// What templates see: `inputs`, `steps`, `loops` and `run`.
    var scope: JSONValue {
        .object([
            "inputs": .object(inputs),
            "steps": .object(outcomes),
            "loops": .object(loops.mapValues { ["iteration": .number(Double($0))] }),
            "run": ["id": .string(run), "workflow": .string(workflow)],
        ])
    }

    /// The `workflow.run` result.
    public var result: WorkflowRunResult {
        WorkflowRunResult(workflow: workflow, steps: steps, output: output)
    }
}

/// The state of a run.
public enum RunStatus: String, Codable, Sendable, Hashable {
    case running, completed, failed, cancelled

    public var isTerminal: Bool { self != .running }
}

/// A position in a workflow: the top-level item, and within a loop whether its body is running and which step.
struct RunCursor: Codable, Sendable, Hashable {
    var item = 0
    var inner = 0
    var inBody = false
}

/// One attempt of a step: its deterministic task id (`<run>-<step>-<iteration>-<attempt>`) and rendered message.
public struct StepAttempt: Codable, Sendable, Hashable {
    public var step: String
    public var task: String
    public var type: String
    public var agent: String
    public var stream: String
    /// The rendered payload (JSON text), fixed when the step starts so that a re-publish is identical.
    public var payload: String
    public var attempt: Int
    /// The loop iteration (1, 2, …), 0 outside loops.
    public var iteration: Int
    /// Unix ms before which the attempt is not published (retry backoff).
    public var notBefore: Int64
    /// Unix ms after which the attempt counts as failed (the step's `timeout`).
    public var deadline: Int64?

    static func taskID(run: String, step: String, iteration: Int, attempt: Int) -> String {
        "\(run)-\(step)-\(iteration)-\(attempt)"
    }
}

/// How a step's task ended, from its event or its task hash.
struct StepOutcome: Sendable, Hashable {
    var status: TaskStatus
    var result: JSONValue?
    var error: String?
}
