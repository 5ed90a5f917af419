import AgentBase
import Foundation
import Logging
import Workflows

/// Result delivery's part of issue-driven work: an issue run's progress and end edit its tracking comment (never a
/// new comment), its pull request is remembered for fix rounds, and a fix round's end answers each comment it addressed.
/// It reads only Switchboard's own events and state, never GitHub's webhooks about its own actions.
public struct IssueTracker: Sendable {
    let store: IssueStore
    let api: GitHubAPI
    let redis: RedisConnection
    let keys: KeySpace
    let triggerLabel: String
    let logger: Logger

    public init(storage: GatewayStorage, configuration: GitHubConfiguration, logger: Logger) {
        self.store = IssueStore(storage: storage)
        self.api = GitHubAPI(configuration: configuration)
        self.redis = storage.redis
        self.keys = storage.keys
        self.triggerLabel = configuration.triggerLabel
        self.logger = logger
    }

    /// Delivers `event` when it belongs to an issue run or a fix round; false when result delivery should as usual.
    func deliver(_ event: TaskEvent, origin: Origin, statusMessage: String?, channel: any ChatChannel) async throws -> Bool {
        guard origin.channel == "github", event.requestType == WorkflowRunRequest.type, let (repo, number) = GitHubChannel.issue(origin.chat) else { return false }
        let issue = try await store.issue(repo, number)
        if issue["run"] == event.task {
            let state = try await redis.send(["HGET", keys.run(event.task), "state"]).string.flatMap { try? JSONValue(parsing: $0) }
            let checklist = IssueChecklist(run: event.task, state: state, triggerLabel: triggerLabel)
            if let statusMessage {
                try await channel.update(statusMessage, with: checklist.text, at: origin)
            } else if event.isTerminal {
                _ = try await channel.send(checklist.text, to: origin)
            }
            if event.isTerminal, let url = Self.pullRequestURL(in: state), let pr = url.split(separator: "/").last.flatMap({ Int($0) }) {
                try await store.updateIssue(repo, number, ["pr": String(pr), "pr_url": url])
                try await store.updatePullRequest(repo, pr, [
                    "issue": String(number), "repo_url": issue["repo_url"] ?? "", "base": issue["base"] ?? "main", "branch": issue["branch"] ?? "",
                ])
            }
            return true
        }
        let round = try await store.round(event.task)
        guard !round.isEmpty else { return false }
        guard event.isTerminal else { return false }
        try await answer(round, event: event, origin: origin, statusMessage: statusMessage, channel: channel)
        return true
    }

    /// The pull request the run's `open_pr` step opened.
    static func pullRequestURL(in state: JSONValue?) -> String? {
        (state?["steps"]?.arrayValue ?? []).last { $0["name"]?.stringValue == "open_pr" }?["result"]?["pr_url"]?.stringValue
    }

    /// Replies to each comment a fix round addressed, and edits the round's acknowledgement into its outcome.
    private func answer(_ round: [String: String], event: TaskEvent, origin: Origin, statusMessage: String?, channel: any ChatChannel) async throws {
        guard let repo = round["repo"], let pr = round["pr"].flatMap(Int.init) else { return }
        let feedback = (try? JSONDecoder().decode([FixRoundPlanner.Feedback].self, from: Data((round["feedback"] ?? "[]").utf8))) ?? []
        let payload = (try? JSONValue(parsing: event.payload)) ?? .null
        let output = payload["output"]
        let commit = output?["commit"]?.stringValue.map { String($0.prefix(12)) }
        let text: String
        switch (event.type, commit) {
        case ("task.completed", let commit?):
            text = "Addressed in \(commit) on `\(output?["branch"]?.stringValue ?? "the branch")` (fix round \(round["round"] ?? "?")); the reviewer ran again."
        case ("task.completed", nil):
            text = "Fix round \(round["round"] ?? "?") changed nothing: \(output?["note"]?.stringValue ?? "no change was needed")."
        default:
            text = "Fix round \(round["round"] ?? "?") did not finish: \(payload["reason"]?.stringValue ?? event.type). Comment again to retry."
        }
        for item in feedback {
            do {
                if item.kind == "inline", let id = item.id {
                    try await api.reply(repo, number: pr, comment: id, body: text)
                } else {
                    let quote = item.body.split(separator: "\n").prefix(3).map { "> \($0)" }.joined(separator: "\n")
                    _ = try await channel.send("\(quote)\n\n@\(item.author): \(text)", to: origin)
                }
            } catch {
                logger.warning("could not reply to a review comment", metadata: ["repo": "\(repo)", "pr": "\(pr)", "error": "\(error)"])
            }
        }
        if let statusMessage { try await channel.update(statusMessage, with: text, at: origin) }
    }
}
