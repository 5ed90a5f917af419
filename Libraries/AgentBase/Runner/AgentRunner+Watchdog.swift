import Logging
import Synchronization

/// The runner's watchdog child: time limits of running attempts, checked every `watchdogInterval`.
extension AgentRunner {
    /// Interrupts attempts past their time limit: one tick for every running task instead of a timer per attempt.
    func watchdogLoop() async {
        while !Task.isCancelled {
            do { try await Task.sleep(for: configuration.watchdogInterval) } catch { return }
            let late = machine.withLock { machine in
                machine.expired(at: .now).map { step in
                    step.interrupter.cancel()
                    return step.task
                }
            }
            for task in late {
                logger.warning("handler exceeded its time limit; cancelling it", metadata: ["task": "\(task)"])
            }
        }
    }
}
