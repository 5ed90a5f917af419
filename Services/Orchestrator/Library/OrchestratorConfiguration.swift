import AgentBase
import Foundation

/// How the orchestrator runs: its name on the bus, its consumer name, and the pace of its loops.
public struct OrchestratorConfiguration: Sendable {
    /// The registry entry (`orchestrator`): the consumer group of its inbox and of `sb:events`.
    public var agent = "orchestrator"
    /// This replica's consumer name in the `orchestrator` group of `sb:events`.
    public var consumer: String
    /// How often active runs are swept (`ORCHESTRATOR_SWEEP_INTERVAL`, default 2s).
    public var sweepInterval: Duration = .seconds(2)
    /// How often a waiting `workflow.run` handler looks at its run.
    public var pollInterval: Duration = .milliseconds(250)
    /// How long one read of `sb:events` blocks.
    public var readBlock: Duration = .seconds(1)
    /// Events a replica read but did not acknowledge for this long are taken over by another.
    public var claimIdle: Duration = .seconds(30)
    /// How often the scheduler looks at its schedules (`ORCHESTRATOR_SCHEDULER_TICK`, default 1s).
    public var schedulerTick: Duration = .seconds(1)
    /// A slot found later than this after its time counts as missed (downtime), and `missed` decides.
    public var missedAfter: Duration = .seconds(120)
    /// Lifetime of run state (`SB_TASK_TTL`).
    public var runTTL: Duration = .seconds(7 * 24 * 3600)

    public init(consumer: String) {
        self.consumer = consumer
    }

    /// Reads `SB_CONSUMER`, `SB_TASK_TTL`, `ORCHESTRATOR_SWEEP_INTERVAL` and `ORCHESTRATOR_SCHEDULER_TICK`.
    public init(environment: SwitchboardEnvironment) throws(ConfigurationError) {
        self.init(consumer: environment.consumer ?? InstanceIdentity.current.defaultConsumer)
        runTTL = environment.taskTTL
        for (name, path) in [("ORCHESTRATOR_SWEEP_INTERVAL", \OrchestratorConfiguration.sweepInterval), ("ORCHESTRATOR_SCHEDULER_TICK", \.schedulerTick)] {
            guard let text = environment.value(name) else { continue }
            guard let value = DurationParser.parse(text), value > .zero else {
                throw ConfigurationError(variable: name, message: "must be a duration such as 500ms or 2s, not '\(text)'")
            }
            self[keyPath: path] = value
        }
    }
}
