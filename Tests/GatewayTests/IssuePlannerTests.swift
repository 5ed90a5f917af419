import AgentBase
import Testing
@testable import Gateway

/// The pure parts of issue-driven work, without I/O: which deliveries trigger, dedupe by issue, fix-round bounds,
/// and the tracking checklist rendered from a run's state.
struct IssuePlannerTests {
    @Test("triggers: the label (any case), an assignment to the bot, a mention when opened; not pull requests, bots or other labels; no number is a 400")
    func triggers() throws {
        func decide(_ payload: JSONValue) throws -> IssueTrigger.Decision {
            try IssueTrigger.decide(payload, repo: "o/r", triggerLabel: "switchboard", botName: "switchboard")
        }
        let issue: JSONValue = ["number": 4, "title": "T", "body": "B", "user": ["login": "author"], "author_association": "MEMBER"]
        guard case .start(let labeled) = try decide(["action": "labeled", "label": ["name": "SwitchBoard"], "issue": issue, "sender": ["login": "lee"]]) else { Issue.record("labeled"); return }
        #expect(labeled.actor == "lee" && labeled.association == nil)
        guard case .start = try decide(["action": "assigned", "assignee": ["login": "switchboard"], "issue": issue, "sender": ["login": "lee"]]) else { Issue.record("assigned"); return }
        #expect(try decide(["action": "assigned", "assignee": ["login": "someone"], "issue": issue, "sender": ["login": "lee"]]) == .ignore("issues assigned to someone else"))
        guard case .start(let opened) = try decide(["action": "opened", "issue": ["number": 4, "body": "Hey @Switchboard, do it", "user": ["login": "author"], "author_association": "MEMBER"], "sender": ["login": "author"]]) else { Issue.record("opened"); return }
        #expect(opened.actor == "author" && opened.association == "MEMBER")
        #expect(try decide(["action": "opened", "issue": issue, "sender": ["login": "author"]]) == .ignore("issues opened without a mention"))
        #expect(try decide(["action": "labeled", "label": ["name": "switchboard"], "issue": ["number": 4, "pull_request": [:]], "sender": ["login": "lee"]]) == .ignore("issues labeled on a pull request"))
        #expect(try decide(["action": "labeled", "label": ["name": "switchboard"], "issue": issue, "sender": ["login": "ci", "type": "Bot"]]) == .ignore("issues labeled by a bot"))
        #expect(throws: APIError.self) { try decide(["action": "labeled", "issue": [:]]) }
    }

    @Test("dedupe by issue: a running run or an open PR is reported; a failed run or a closed PR allows a new run")
    func dedupe() {
        #expect(IssueRunPlanner.decide(.init()) == .start)
        #expect(IssueRunPlanner.decide(.init(run: "r1", runEnded: false)) == .reportRunning(run: "r1"))
        #expect(IssueRunPlanner.decide(.init(run: "r1", runEnded: true)) == .start)
        #expect(IssueRunPlanner.decide(.init(run: "r1", runEnded: true, pullRequest: 3, pullRequestURL: "u", pullRequestOpen: true)) == .reportPullRequest(number: 3, url: "u"))
        #expect(IssueRunPlanner.decide(.init(run: "r1", runEnded: true, pullRequest: 3, pullRequestOpen: nil)) == .reportPullRequest(number: 3, url: nil), "unknown state counts as open")
        #expect(IssueRunPlanner.decide(.init(run: "r1", runEnded: true, pullRequest: 3, pullRequestOpen: false)) == .start)
    }

    @Test("fix rounds: one at a time, bounded, and the spec locates each comment")
    func rounds() {
        let feedback = [FixRoundPlanner.Feedback(kind: "inline", id: 1, author: "ann", body: "Rename x.", path: "a.swift", line: 3)]
        #expect(FixRoundPlanner.decide(.init(rounds: 0), feedback: feedback, maxRounds: 5) == .start(round: 1))
        #expect(FixRoundPlanner.decide(.init(rounds: 1, running: "t", runningEnded: false), feedback: feedback, maxRounds: 5) == .busy(task: "t"))
        #expect(FixRoundPlanner.decide(.init(rounds: 5, running: "t", runningEnded: true), feedback: feedback, maxRounds: 5) == .limitReached(5))
        #expect(FixRoundPlanner.decide(.init(rounds: 0), feedback: [.init(kind: "review", author: "ann", body: "  ")], maxRounds: 5) == .nothingToDo)
        #expect(FixRoundPlanner.spec(pullRequest: 9, feedback: feedback).contains("- a.swift:3: Rename x. (ann)"))
    }

    @Test("the checklist follows the run: running step, tests, findings, rounds, the PR (draft when findings remain), failures say what to do")
    func checklist() {
        let write: JSONValue = ["name": "write", "status": "completed", "result": ["branch": "switchboard/issue-4", "commit": "0123456789abcdef", "tests": ["passed": true, "output_tail": ""]]]
        let review: JSONValue = ["name": "review", "status": "completed", "result": ["summary": "1", "findings": [["path": "a", "line": 1, "severity": "warning", "rule": "r", "message": "m"]]]]
        let started = IssueChecklist(run: "r1", state: nil, triggerLabel: "switchboard").text
        #expect(started.contains("- [ ] Change written\n- [ ] Tests"))
        let reviewing = IssueChecklist(run: "r1", state: ["status": "running", "steps": [write], "current": ["step": "review"]], triggerLabel: "switchboard").text
        #expect(reviewing.contains("- [x] Change written: commit 0123456789ab on `switchboard/issue-4`"))
        #expect(reviewing.contains("- [x] Tests: passed"))
        #expect(reviewing.contains("- [ ] Reviewed ⏳"))
        let fixing = IssueChecklist(run: "r1", state: ["status": "running", "steps": [write, review], "current": ["step": "fix"]], triggerLabel: "switchboard").text
        #expect(fixing.contains("- [x] Reviewed: 1 finding, 1 at warning or above"))
        #expect(fixing.contains("- [ ] Fixed ⏳: round 1"))
        let openPR: JSONValue = ["name": "open_pr", "status": "completed", "result": ["branch": "b", "commit": "c", "pr_url": "https://x/pull/5"]]
        let done = IssueChecklist(run: "r1", state: ["status": "completed", "steps": [write, review, openPR]], triggerLabel: "switchboard").text
        #expect(done.contains("- [x] Pull request opened: https://x/pull/5 (draft: the review still has findings)"))
        #expect(done.contains("✅ Done: https://x/pull/5"))
        let failed = IssueChecklist(run: "r1", state: ["status": "failed", "steps": [["name": "write", "status": "failed", "error": "model_failed"]], "failure": "step write failed: no model"], triggerLabel: "switchboard").text
        #expect(failed.contains("- [ ] Change written ❌"))
        #expect(failed.contains("❌ The run failed: step write failed: no model. Fix the cause"))
        #expect(failed.contains("remove and add the label `switchboard`"))
    }
}
