import Metrics

/// The runner's swift-metrics instruments, labelled by agent.
struct RunnerMetrics: Sendable {
    let received: Counter
    let acked: Counter
    let completed: Counter
    let failed: Counter
    let retried: Counter
    let deadLettered: Counter
    let reclaimed: Counter
    let deletedPending: Counter
    let duplicates: Counter
    let handlerDuration: Metrics.Timer
    let inFlight: Gauge

    init(agent: String) {
        let dimensions = [("agent", agent)]
        received = Counter(label: "switchboard_messages_received_total", dimensions: dimensions)
        acked = Counter(label: "switchboard_messages_acked_total", dimensions: dimensions)
        completed = Counter(label: "switchboard_tasks_completed_total", dimensions: dimensions)
        failed = Counter(label: "switchboard_tasks_failed_total", dimensions: dimensions)
        retried = Counter(label: "switchboard_messages_retried_total", dimensions: dimensions)
        deadLettered = Counter(label: "switchboard_messages_dead_lettered_total", dimensions: dimensions)
        reclaimed = Counter(label: "switchboard_messages_reclaimed_total", dimensions: dimensions)
        deletedPending = Counter(label: "switchboard_pending_deleted_total", dimensions: dimensions)
        duplicates = Counter(label: "switchboard_messages_duplicate_total", dimensions: dimensions)
        handlerDuration = Metrics.Timer(label: "switchboard_handler_duration_seconds", dimensions: dimensions, preferredDisplayUnit: .seconds)
        inFlight = Gauge(label: "switchboard_in_flight", dimensions: dimensions)
    }
}

extension Metrics.Timer {
    func recordInterval(since start: ContinuousClock.Instant) {
        record(duration: ContinuousClock.now - start)
    }
}
