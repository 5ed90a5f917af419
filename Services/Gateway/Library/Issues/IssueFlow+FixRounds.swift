import AgentBase
import Foundation
import HTTPTypes
import Logging

/// Fix rounds: trusted review feedback on a pull request Switchboard opened from an issue becomes a `fix_pr` run on
/// its branch, bounded by `GITHUB_MAX_FIX_ROUNDS`.
extension IssueFlow {
    /// The workflow a round runs.
    static let fixWorkflow = "fix_pr"

    /// Whether Switchboard opened this pull request from an issue (only those get fix rounds).
    func owns(_ repo: String, _ number: Int) async throws -> Bool {
        try await !store.pullRequest(repo, number).isEmpty
    }

    /// Starts a round for `feedback` from `actor`, or says why not on the pull request.
    func fixRound(repo: String, number: Int, feedback: [FixRoundPlanner.Feedback], actor: String, trusted: Bool) async throws -> String {
        let record = try await store.pullRequest(repo, number)
        guard !record.isEmpty else { return "ignored: #\(number) is not a pull request Switchboard opened from an issue" }
        guard let role = chat.access.role(of: "github:\(actor)", passedGate: trusted), role.allows(.write) else {
            logger.notice("ignored review feedback by an untrusted GitHub user", metadata: ["user": "\(actor)", "repo": "\(repo)"])
            return "ignored: \(actor) is not trusted"
        }
        let origin = Origin(channel: "github", chat: "\(repo)#\(number)")
        var known = FixRoundPlanner.Known(rounds: Int(record["rounds"] ?? "") ?? 0, running: record["running"])
        if let running = known.running { known.runningEnded = try await chat.tasks.task(running)?.status?.isTerminal ?? true }
        let decision = FixRoundPlanner.decide(known, feedback: feedback, maxRounds: configuration.maxFixRounds)
        guard case .start(let round) = decision else {
            if let text = FixRoundPlanner.report(decision) { _ = try await channel.send(text, to: origin) }
            return "no fix round: \(decision)"
        }
        guard let repoURL = record["repo_url"], let branch = record["branch"] else { return "ignored: the pull request's record is incomplete" }
        let payload: JSONValue = ["workflow": .string(Self.fixWorkflow), "inputs": [
            "repo_url": .string(repoURL), "repo": .string(repo), "number": .number(Double(number)), "base": .string(record["base"] ?? "main"),
            "branch": .string(branch), "spec": .string(FixRoundPlanner.spec(pullRequest: number, feedback: feedback)),
        ]]
        if let refusal = chat.repositories.refusal(type: WorkflowRunRequest.type, payload: payload) { return "refused: \(refusal.message)" }
        let agent: AgentEntry
        switch chat.target(of: WorkflowRunRequest.type, payload: payload) {
        case .success(let found): agent = found
        case .failure(let refusal): return "ignored: \(refusal.text)"
        }
        if let wait = try await chat.rateLimit(user: actor, channel: "github") { return "ignored: \(actor) reached the rate limit (\(wait) left)" }
        let task = UUID().uuidString.lowercased()
        guard try await store.claimRound(repo, number, rounds: known.rounds, task: task) else { return "ignored: another round started just now" }
        let feedbackJSON = String(decoding: try JSONEncoder().encode(feedback), as: UTF8.self)
        try await store.recordRound(task, ["repo": repo, "pr": String(number), "round": String(round), "feedback": feedbackJSON])
        _ = try await chat.publish(
            type: WorkflowRunRequest.type, to: agent, payload: payload, origin: origin, text: "fix round \(round) of #\(number)",
            requester: "github:\(actor)", task: task, awaitingAck: true
        )
        do {
            let ack = try await channel.send("Fix round \(round) of at most \(configuration.maxFixRounds) started on `\(branch)` for \(feedback.count) comment\(feedback.count == 1 ? "" : "s") (task `\(task)`).", to: origin)
            try await chat.remember(statusMessage: ack, for: task, origin: origin)
        } catch {
            await chat.origins.abandonAck(task)
            logger.error("could not acknowledge a fix round", metadata: ["task": "\(task)", "error": "\(error)"])
        }
        return "fix round \(round) started as task \(task)"
    }

    /// The inline comments of a review, as feedback (the review's own body first).
    func feedback(ofReview review: JSONValue, repo: String, number: Int) async throws -> [FixRoundPlanner.Feedback] {
        let author = review["user"]?["login"]?.stringValue ?? "reviewer"
        var items: [FixRoundPlanner.Feedback] = []
        if let body = review["body"]?.stringValue, !body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            items.append(.init(kind: "review", id: review["id"]?.intValue, author: author, body: body))
        }
        if let id = review["id"]?.intValue {
            let comments: [JSONValue]
            do {
                comments = try await api.reviewComments(repo, number: number, review: id)
            } catch {
                throw APIError(.badGateway, "forge_error", "cannot read the review's comments: \(error)")
            }
            items += comments.map(Self.inline)
        }
        return items
    }

    /// An inline review comment as feedback.
    static func inline(_ comment: JSONValue) -> FixRoundPlanner.Feedback {
        FixRoundPlanner.Feedback(
            kind: "inline", id: comment["id"]?.intValue, author: comment["user"]?["login"]?.stringValue ?? "reviewer",
            body: comment["body"]?.stringValue ?? "", path: comment["path"]?.stringValue, line: comment["line"]?.intValue ?? comment["original_line"]?.intValue
        )
    }
}
