import AgentBase

/// The tracking comment of an issue run: the `create_pr` steps as a checklist (written, tests, reviewed, fixed, PR
/// opened), rendered from the run's state alone, ending with the pull request or the failure and what to do.
struct IssueChecklist: Sendable, Hashable {
    /// Where a step stands.
    enum Mark: Sendable, Hashable {
        case pending, running, done, failed, skipped
    }

    /// One line of the checklist.
    struct Item: Sendable, Hashable {
        var label: String
        var mark: Mark
        var detail: String?
    }

    var run: String
    var items: [Item]
    /// The last words: the pull request, or the failure and what to do.
    var ending: String?

    /// The checklist of a run as stored in `sb:run:<run>` (`state` JSON: `steps`, `current`, `status`, `failure`);
    /// `state` nil is a run the orchestrator has not stored yet.
    init(run: String, state: JSONValue?, triggerLabel: String) {
        self.run = run
        var outcomes: [String: JSONValue] = [:]
        var fixRounds = 0
        for step in state?["steps"]?.arrayValue ?? [] {
            guard let name = step["name"]?.stringValue else { continue }
            outcomes[name] = step
            if name == "fix", step["status"]?.stringValue == "completed" { fixRounds += 1 }
        }
        let current = state?["current"]?["step"]?.stringValue
        let status = state?["status"]?.stringValue ?? "running"
        func mark(_ step: String) -> Mark {
            if current == step { return .running }
            switch outcomes[step]?["status"]?.stringValue {
            case "completed": return .done
            case "failed", "cancelled": return status == "running" ? .running : .failed
            case "skipped": return .skipped
            default: return .pending
            }
        }
        let write = outcomes["write"]?["result"]
        let lastChange = outcomes["fix"]?["result"] ?? write
        var written = Item(label: "Change written", mark: mark("write"))
        if let commit = write?["commit"]?.stringValue, let branch = write?["branch"]?.stringValue { written.detail = "commit \(commit.prefix(12)) on `\(branch)`" }
        var tests = Item(label: "Tests", mark: .pending)
        switch lastChange?["tests"]?["passed"]?.boolValue {
        case true?: (tests.mark, tests.detail) = (.done, "passed")
        case false?: (tests.mark, tests.detail) = (.failed, "failed")
        case nil where written.mark == .done: (tests.mark, tests.detail) = (.skipped, "no test command")
        default: tests.mark = written.mark == .running ? .running : (written.mark == .failed ? .failed : .pending)
        }
        let review = outcomes["recheck"]?["result"] ?? outcomes["review"]?["result"]
        var reviewed = Item(label: "Reviewed", mark: mark("review"))
        let findings = review?["findings"]?.arrayValue ?? []
        let serious = findings.filter { ["warning", "error"].contains($0["severity"]?.stringValue ?? "") }.count
        if review != nil { reviewed.detail = "\(findings.count) finding\(findings.count == 1 ? "" : "s"), \(serious) at warning or above" }
        var fixed = Item(label: "Fixed", mark: .pending)
        if current == "fix" || current == "recheck" {
            (fixed.mark, fixed.detail) = (.running, "round \(fixRounds + 1)")
        } else if mark("open_pr") != .pending || status != "running" && fixRounds > 0 {
            fixed.mark = fixRounds > 0 ? .done : (reviewed.mark == .done ? .skipped : .pending)
            fixed.detail = fixRounds > 0 ? "\(fixRounds) round\(fixRounds == 1 ? "" : "s")" : (reviewed.mark == .done ? "nothing to fix" : nil)
        }
        if status != "running", fixed.mark == .running { fixed.mark = .failed }
        var opened = Item(label: "Pull request opened", mark: mark("open_pr"))
        let pr = outcomes["open_pr"]?["result"]
        if let url = pr?["pr_url"]?.stringValue { opened.detail = url + (serious > 0 ? " (draft: the review still has findings)" : "") }
        else if opened.mark == .done { (opened.mark, opened.detail) = (.failed, pr?["note"]?.stringValue ?? "no pull request was opened") }
        items = [written, tests, reviewed, fixed, opened]
        switch status {
        case "completed" where pr?["pr_url"]?.stringValue != nil:
            ending = "✅ Done: \(pr?["pr_url"]?.stringValue ?? ""). Request changes on it to start a fix round."
        case "completed":
            ending = "⚠️ The run ended without a pull request: \(pr?["note"]?.stringValue ?? "see the run"). The branch was pushed for inspection; fix the cause, then remove and add the label `\(triggerLabel)` to start again."
        case "failed", "cancelled":
            ending = "❌ The run \(status == "failed" ? "failed" : "was cancelled"): \(state?["failure"]?.stringValue ?? "no reason given"). Fix the cause (the issue's text is the spec), then remove and add the label `\(triggerLabel)` to start again."
        default:
            ending = nil
        }
    }

    /// The comment's Markdown, with a hidden marker naming the run.
    var text: String {
        var lines = ["**Switchboard** is working on this issue (run `\(run)`).", ""]
        for item in items {
            let box = item.mark == .done || item.mark == .skipped ? "- [x]" : "- [ ]"
            let sign = switch item.mark {
            case .pending: ""
            case .running: " ⏳"
            case .done: ""
            case .failed: " ❌"
            case .skipped: " (skipped)"
            }
            lines.append("\(box) \(item.label)\(sign)\(item.detail.map { ": \($0)" } ?? "")")
        }
        if let ending { lines += ["", ending] }
        lines += ["", "<!-- switchboard:issue-run \(run) -->"]
        return lines.joined(separator: "\n")
    }
}
