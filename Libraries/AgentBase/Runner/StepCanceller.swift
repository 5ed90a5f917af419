/// Stops one running step of a task (an attempt of its handler, or a backoff wait): the step's own child task,
/// cancelled on a timeout, a cancel request or a shutdown.
///
/// It holds the child's `UnsafeCurrentTask`, so its lifetime is the runner's to keep: the step registers it with the
/// state machine when it begins and takes it back before its child returns, both under the runner's lock, and
/// `cancel()` is only ever called under that same lock — so it always reaches a task that is still running. (Cancelling
/// runs the step's cancellation handlers at once; a handler's own ones never take the runner's lock.)
struct StepCanceller: @unchecked Sendable {
    private let task: UnsafeCurrentTask

    init(_ task: UnsafeCurrentTask) {
        self.task = task
    }

    func cancel() {
        task.cancel()
    }
}
