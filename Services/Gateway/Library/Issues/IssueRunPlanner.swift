/// Decides, without I/O, whether a trigger on an issue starts a run or reports the one it has: one issue never gets
/// two pull requests (dedupe by issue, not by delivery).
enum IssueRunPlanner {
    /// What the gateway knows of an issue's last run.
    struct Known: Sendable, Hashable {
        /// The `workflow.run` task of the last run, if any.
        var run: String?
        /// Whether that task has ended (nil when there is no run or the task has expired).
        var runEnded: Bool?
        /// The pull request the run opened, if any, and whether it is still open (nil: not known).
        var pullRequest: Int?
        var pullRequestURL: String?
        var pullRequestOpen: Bool?
    }

    /// What to do.
    enum Decision: Sendable, Hashable {
        case start
        /// A run is going: point at it.
        case reportRunning(run: String)
        /// Its pull request is open: point at it.
        case reportPullRequest(number: Int, url: String?)
    }

    static func decide(_ known: Known) -> Decision {
        if let run = known.run, known.runEnded == false { return .reportRunning(run: run) }
        if let number = known.pullRequest, known.pullRequestOpen != false { return .reportPullRequest(number: number, url: known.pullRequestURL) }
        return .start
    }

    /// The answer on the issue to a trigger that did not start a run.
    static func report(_ decision: Decision, tracking: String?) -> String? {
        switch decision {
        case .start:
            return nil
        case .reportRunning(let run):
            return "Switchboard is already working on this issue (run `\(run)`)\(tracking.map { "; its progress is in the tracking comment \($0)" } ?? ""). No second run was started."
        case .reportPullRequest(let number, let url):
            return "This issue already has an open pull request from Switchboard: #\(number)\(url.map { " (\($0))" } ?? ""). Review it there; request changes to start a fix round. No second pull request was opened."
        }
    }
}
