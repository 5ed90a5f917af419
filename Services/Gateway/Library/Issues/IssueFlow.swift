import AgentBase
import Foundation
import HTTPTypes
import Logging

/// Turns a trusted trigger on an issue into one `create_pr` run on `switchboard/issue-<n>` with a tracking comment,
/// or points at the run or pull request the issue has already; review feedback on the pull request becomes fix rounds
/// (`IssueFlow+FixRounds.swift`).
struct IssueFlow: Sendable {
    let configuration: GitHubConfiguration
    let api: GitHubAPI
    let chat: ChatService
    let channel: GitHubChannel
    let store: IssueStore
    let logger: Logger

    /// The workflow an issue runs.
    static let workflow = "create_pr"

    func handle(_ request: IssueTrigger.Request) async throws -> String {
        let origin = Origin(channel: "github", chat: "\(request.repo)#\(request.number)")
        guard try await trusted(request) else {
            logger.notice("ignored an issue trigger by an untrusted GitHub user", metadata: ["user": "\(request.actor)", "repo": "\(request.repo)", "action": "\(request.action)"])
            return "ignored: \(request.actor) is not trusted to start work"
        }
        let record = try await store.issue(request.repo, request.number)
        let decision = IssueRunPlanner.decide(try await known(record, repo: request.repo))
        if let text = IssueRunPlanner.report(decision, tracking: record["tracking_url"]) {
            _ = try await channel.send(text, to: origin)
            return "reported the issue's existing run"
        }
        if let wait = try await chat.rateLimit(user: request.actor, channel: "github") {
            _ = try await channel.send(ChatService.limited(chat.limiters["github"] ?? chat.defaultLimiter, wait: wait, what: "tasks"), to: origin)
            return "ignored: \(request.actor) reached the rate limit"
        }
        let repository: (cloneURL: String, defaultBranch: String)
        do {
            repository = try await api.repository(request.repo)
        } catch {
            throw APIError(.badGateway, "forge_error", "cannot look up \(request.repo) on the forge: \(error)")
        }
        let inputs: JSONValue = [
            "repo_url": .string(repository.cloneURL), "repo": .string(request.repo), "base": .string(repository.defaultBranch),
            "branch": .string("switchboard/issue-\(request.number)"), "title": .string(request.title),
            "spec": .string(try await spec(request)), "pr_note": .string("Closes #\(request.number)"),
        ]
        let payload: JSONValue = ["workflow": .string(Self.workflow), "inputs": inputs]
        if let refusal = chat.repositories.refusal(type: WorkflowRunRequest.type, payload: payload) {
            _ = try await channel.send("Refused: \(refusal.message)", to: origin)
            return "refused: \(refusal.message)"
        }
        let agent: AgentEntry
        switch chat.target(of: WorkflowRunRequest.type, payload: payload) {
        case .success(let found): agent = found
        case .failure(let refusal): return "ignored: \(refusal.text)"
        }
        let task = UUID().uuidString.lowercased()
        let claimed = try await store.claimIssue(request.repo, request.number, expected: record["run"], run: task, fields: [
            "repo_url": repository.cloneURL, "base": repository.defaultBranch, "branch": "switchboard/issue-\(request.number)",
            "requester": "github:\(request.actor)",
        ])
        guard claimed else { return "ignored: another trigger started a run on this issue just now" }
        let reply = try await chat.publish(
            type: WorkflowRunRequest.type, to: agent, payload: payload, origin: origin, text: "issue #\(request.number) \(request.action)",
            requester: "github:\(request.actor)", task: task, awaitingAck: true
        )
        do {
            let tracking = try await channel.send(IssueChecklist(run: task, state: nil, triggerLabel: configuration.triggerLabel).text, to: origin)
            try await chat.remember(statusMessage: tracking, for: task, origin: origin)
            if let tracking { try await store.updateIssue(request.repo, request.number, ["tracking": tracking]) }
        } catch {
            await chat.origins.abandonAck(task)
            logger.error("could not post the tracking comment after the run was published", metadata: ["task": "\(task)", "error": "\(error)"])
        }
        logger.info("issue run started", metadata: ["task": "\(task)", "repo": "\(request.repo)", "issue": "\(request.number)"])
        return reply.task.map { "create_pr run \($0) started" } ?? reply.text
    }

    /// `opened`: the author's association; `labeled` and `assigned`: the sender's permission on the repository.
    private func trusted(_ request: IssueTrigger.Request) async throws -> Bool {
        if let association = request.association { return configuration.trustedAssociations.contains(association) }
        if chat.access.grant(for: "github:\(request.actor)") != nil { return false }
        do {
            return IssueTrigger.writers.contains(try await api.permission(of: request.actor, in: request.repo))
        } catch ChannelError.permanent {
            return false
        } catch {
            throw APIError(.badGateway, "forge_error", "cannot ask the forge for \(request.actor)'s permission: \(error)")
        }
    }

    /// The planner's view of the issue's record: whether its run is going and its pull request open.
    private func known(_ record: [String: String], repo: String) async throws -> IssueRunPlanner.Known {
        var known = IssueRunPlanner.Known(run: record["run"])
        if let run = record["run"] { known.runEnded = try await chat.tasks.task(run)?.status?.isTerminal ?? true }
        if let number = record["pr"].flatMap(Int.init) {
            known.pullRequest = number
            known.pullRequestURL = record["pr_url"]
            known.pullRequestOpen = (try? await api.pullRequest(repo, number: number))?["state"]?.stringValue.map { $0 == "open" }
        }
        return known
    }

    /// The issue's title, body and the comments people wrote on it (not Switchboard's own).
    private func spec(_ request: IssueTrigger.Request) async throws -> String {
        var lines = ["Issue #\(request.number): \(request.title)", "", request.body]
        let comments = (try? await api.issueComments(request.repo, number: request.number)) ?? []
        let written = comments.filter { comment in
            comment["user"]?["type"]?.stringValue != "Bot" && comment["user"]?["login"]?.stringValue?.lowercased() != configuration.botName.lowercased()
                && !(comment["body"]?.stringValue ?? "").contains("<!-- switchboard:")
        }
        if !written.isEmpty {
            lines += ["", "Comments on the issue:"]
            for comment in written {
                lines.append("- \(comment["user"]?["login"]?.stringValue ?? "someone"): \(comment["body"]?.stringValue ?? "")")
            }
        }
        return lines.joined(separator: "\n")
    }
}
