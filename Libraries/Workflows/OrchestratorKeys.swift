import AgentBase

/// The orchestrator's own keys, under the bus's prefix: workflow runs and schedule slots (agentctl reads them too).
extension KeySpace {
    /// `sb:run:<run>`: a workflow run's state (hash: `version`, `state` JSON, `status`, `step`, `workflow`, times); `<run>` is the `workflow.run` task id.
    public func run(_ id: String) -> String { "\(prefix):run:\(id)" }
    /// `sb:run:step:<task>`: the run a step's task belongs to (correlates its events with the run).
    public func runStep(_ task: String) -> String { "\(prefix):run:step:\(task)" }
    /// `sb:runs`: every recent run (sorted set, score = start time in ms).
    public var runs: String { "\(prefix):runs" }
    /// `sb:runs:active`: runs not yet finished (set), swept by the orchestrators.
    public var activeRuns: String { "\(prefix):runs:active" }
    /// `sb:schedule:<name>:<slot>`: the once-per-slot marker of a schedule (`slot`: the slot's Unix time in seconds).
    public func scheduleSlot(_ name: String, slot: Int64) -> String { "\(prefix):schedule:\(name):\(slot)" }
    /// `sb:schedule:<name>:paused`: set while a schedule is paused (the dashboard's pause/resume); its slots pass unfired.
    public func schedulePaused(_ name: String) -> String { "\(prefix):schedule:\(name):paused" }
    /// `sb:schedule:<name>:last`: the latest slot of a schedule that was fired or deliberately skipped.
    public func scheduleLast(_ name: String) -> String { "\(prefix):schedule:\(name):last" }
}
