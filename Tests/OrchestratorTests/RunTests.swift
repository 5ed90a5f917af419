import AgentBase
import Foundation
import Synchronization
import SwitchboardTesting
import Testing
import Workflows

/// Workflow runs on a real Redis with scripted agents built on AgentBase: steps in order, retries, loops,
/// a crashed orchestrator replica, cancel.
@Suite(.serialized)
struct RunTests {
    static let testWorkflows = """
    version: 1
    workflows:
      three:
        inputs:
          url: {required: true}
          repo_url: {default: "file:///srv/git/app.git"}
        steps:
          - name: scrape
            type: todos.scrape
            payload: {url: "{{ inputs.url }}", format: markdown}
          - name: write
            type: code.write
            payload:
              repo_url: "{{ inputs.repo_url }}"
              base: main
              spec: sync the todo list
              edits: [{path: TODO.md, content: "{{ steps.scrape.result.markdown }}"}]
          - name: review
            type: pr.review
            payload: {repo_url: "{{ inputs.repo_url }}", base: main, head: "{{ steps.write.result.branch }}"}
        output:
          branch: "{{ steps.write.result.branch }}"
          findings: "{{ steps.review.result.findings | length }}"
      flaky:
        steps:
          - name: review
            type: pr.review
            payload: {repo: org/app, number: 7}
            retry: {attempts: 3, backoff: 50ms}
      slow:
        steps:
          - name: scrape
            type: todos.scrape
            payload: {url: "https://todo.example.com/slow"}
            timeout: 300ms
      guarded:
        inputs:
          skip_review: {default: false}
        steps:
          - name: review
            type: pr.review
            if: "{{ inputs.skip_review | not }}"
            payload: {repo: org/app, number: 7}
            on_failure: tidy
        cleanup:
          - name: tidy
            type: todos.scrape
            payload: {url: "https://todo.example.com/cleanup"}

    """

    static func finding(_ severity: PRReviewResult.Severity) -> PRReviewResult.Finding {
        .init(path: "Sources/App.swift", line: 12, severity: severity, rule: "force-unwrap", message: "avoid force unwraps")
    }

    @Test("a three-step run passes results between steps, reports progress and completes with every step")
    func threeSteps() async throws {
        let harness = try Harness(workflows: Self.testWorkflows)
        let written = Mutex<CodeWriteRequest?>(nil)
        let replicas = [
            try harness.agent("scraper", TodosScrapeRequest.self) { request, _ in Scripted.scrape(request) },
            try harness.agent("code-writer", CodeWriteRequest.self) { request, _ in
                written.withLock { $0 = request }
                return Scripted.write(request)
            },
            try harness.agent("pr-reviewer", PRReviewRequest.self) { _, _ in Scripted.review([Self.finding(.info)]) },
            try harness.orchestrator("o1"),
        ]
        let run = try await harness.run("three", ["url": "https://todo.example.com/list"])
        let snapshot = try await harness.finished(run)
        for replica in replicas { await replica.shutdown() }

        #expect(snapshot.status == .completed)
        let result = try harness.result(snapshot)
        #expect(result.steps.map(\.name) == ["scrape", "write", "review"])
        #expect(result.steps.map(\.status) == [.completed, .completed, .completed])
        #expect(result.steps.map(\.task) == ["\(run)-scrape-0-1", "\(run)-write-0-1", "\(run)-review-0-1"])
        #expect(result.output == ["branch": "switchboard/change", "findings": 1])
        #expect(written.withLock { $0?.edits } == [CodeEdit(path: "TODO.md", content: "- [ ] Ship it\n")])
        let progress = try await harness.bus.events(for: run).filter { $0.type == "task.progress" }.map(\.payload)
        #expect(progress.contains { $0.contains("step scrape started") })
        #expect(progress.contains { $0.contains("step review completed") })
    }

    @Test("a failing step is retried with backoff and the run completes when an attempt succeeds")
    func retryThenSuccess() async throws {
        let harness = try Harness(workflows: Self.testWorkflows)
        let attempts = Mutex(0)
        let replicas = [
            try harness.agent("pr-reviewer", PRReviewRequest.self) { _, _ in
                let attempt = attempts.withLock { $0 += 1; return $0 }
                if attempt < 3 { throw AgentError.permanent("forge said 502 (attempt \(attempt))") }
                return Scripted.review()
            },
            try harness.orchestrator("o1"),
        ]
        let run = try await harness.run("flaky")
        let snapshot = try await harness.finished(run)
        for replica in replicas { await replica.shutdown() }

        #expect(snapshot.status == .completed)
        #expect(harness.calls.count(PRReviewRequest.type) == 3)
        let result = try harness.result(snapshot)
        #expect(result.steps.map(\.task) == ["\(run)-review-0-3"])
        #expect(try await harness.bus.status("\(run)-review-0-1") == .failed)
    }

    @Test("a step whose retries run out runs the clean-up step and fails the run naming the step; `if` skips")
    func failureAndCleanup() async throws {
        let harness = try Harness(workflows: Self.testWorkflows)
        let replicas = [
            try harness.agent("pr-reviewer", PRReviewRequest.self) { _, _ in throw AgentError.permanent("repository org/app does not exist") },
            try harness.agent("scraper", TodosScrapeRequest.self) { request, _ in Scripted.scrape(request) },
            try harness.orchestrator("o1"),
        ]
        let failed = try await harness.finished(try await harness.run("guarded"))
        let skipped = try await harness.finished(try await harness.run("guarded", ["skip_review": true]))
        for replica in replicas { await replica.shutdown() }

        #expect(failed.status == .failed)
        #expect(failed.error == "step review failed: repository org/app does not exist")
        #expect(harness.calls.count(TodosScrapeRequest.type) == 1)
        #expect(skipped.status == .completed)
        #expect(try harness.result(skipped).steps.map(\.status) == [.skipped])
    }

    /// The shipped `create_pr` workflow with a reviewer that finds warnings `dirtyReviews` times.
    func createPR(dirtyReviews: Int, maxIterations: Int) async throws -> (WorkflowRunResult, Harness, [CodeWriteRequest]) {
        let yaml = try String(contentsOf: RepositoryPaths.root.appendingPathComponent("Registry/workflows.yaml"), encoding: .utf8)
        let harness = try Harness(workflows: yaml)
        let reviews = Mutex(0)
        let writes = Mutex<[CodeWriteRequest]>([])
        let replicas = [
            try harness.agent("code-writer", CodeWriteRequest.self) { request, _ in
                writes.withLock { $0.append(request) }
                return Scripted.write(request)
            },
            try harness.agent("pr-reviewer", PRReviewRequest.self) { _, _ in
                let review = reviews.withLock { $0 += 1; return $0 }
                return Scripted.review(review <= dirtyReviews ? [Self.finding(.warning), Self.finding(.info)] : [Self.finding(.info)])
            },
            try harness.orchestrator("o1"),
        ]
        let run = try await harness.run("create_pr", ["repo_url": "file:///srv/git/app.git", "spec": "Add a --version flag", "max_iterations": .number(Double(maxIterations))])
        let snapshot = try await harness.finished(run)
        for replica in replicas { await replica.shutdown() }
        #expect(snapshot.status == .completed)
        return (try harness.result(snapshot), harness, writes.withLock { $0 })
    }

    @Test("create_pr: the fix loop stops as soon as the review is clean, then opens the PR with the review")
    func loopStopsOnSuccess() async throws {
        let (result, _, writes) = try await createPR(dirtyReviews: 1, maxIterations: 3)
        #expect(result.steps.map(\.name) == ["write", "review", "fix", "recheck", "open_pr"])
        #expect(result.output?["fix_rounds"] == 1)
        #expect(result.output?["pr_url"] == "https://git.example.com/pr/1")
        #expect(writes[1].spec.contains("- Sources/App.swift:12 [warning] avoid force unwraps"))
        #expect(!writes[1].spec.contains("[info]"))
        #expect(writes[2].openPR && writes[2].branch == "switchboard/change" && writes[2].spec.contains("## Review"))
    }

    @Test("create_pr: the fix loop stops at max_iterations when findings remain")
    func loopStopsAtLimit() async throws {
        let (result, harness, _) = try await createPR(dirtyReviews: 100, maxIterations: 2)
        #expect(result.steps.map(\.name) == ["write", "review", "fix", "recheck", "fix", "recheck", "open_pr"])
        #expect(result.steps[4].task.hasSuffix("-fix-2-1"))
        #expect(result.output?["fix_rounds"] == 2)
        #expect(harness.calls.count(CodeWriteRequest.type) == 4)
    }

    @Test("an orchestrator killed mid-run: another replica finishes the run, each step executed once")
    func takeover() async throws {
        let harness = try Harness(workflows: Self.testWorkflows)
        let gate = Gate()
        let agents = [
            try harness.gatedScraper(gate),
            try harness.agent("code-writer", CodeWriteRequest.self) { request, _ in Scripted.write(request) },
            try harness.agent("pr-reviewer", PRReviewRequest.self) { _, _ in Scripted.review() },
        ]
        let first = try harness.orchestrator("o1")
        let run = try await harness.run("three", ["url": "https://todo.example.com/list"])
        try await eventually("the first step runs") { gate.waiting == 1 }
        await first.kill()
        let second = try harness.orchestrator("o2")
        gate.release()
        let snapshot = try await harness.finished(run)
        await second.shutdown()
        for agent in agents { await agent.shutdown() }

        #expect(snapshot.status == .completed)
        #expect(try harness.result(snapshot).steps.map(\.name) == ["scrape", "write", "review"])
        #expect(harness.calls.all == [TodosScrapeRequest.type: 1, CodeWriteRequest.type: 1, PRReviewRequest.type: 1])
        #expect(try await harness.bus.events(for: run).filter { $0.type == "task.completed" }.count == 1)
    }

    @Test("cancelling a run cancels its running step and no later step starts")
    func cancel() async throws {
        let harness = try Harness(workflows: Self.testWorkflows)
        let gate = Gate()
        let replicas = [
            try harness.gatedScraper(gate),
            try harness.agent("code-writer", CodeWriteRequest.self) { request, _ in Scripted.write(request) },
            try harness.orchestrator("o1"),
        ]
        let run = try await harness.run("three", ["url": "https://todo.example.com/list"])
        try await eventually("the first step runs") { gate.waiting == 1 }
        #expect(try await harness.bus.broker.tasks.requestCancel(task: run) == .requested)
        let snapshot = try await harness.finished(run)
        try await harness.stepCancelled(run, gate)
        for replica in replicas { await replica.shutdown() }

        #expect(snapshot.status == .cancelled)
        #expect(harness.calls.count(CodeWriteRequest.type) == 0)
    }

    @Test("a step past its timeout is cancelled and fails the run")
    func stepTimeout() async throws {
        let harness = try Harness(workflows: Self.testWorkflows)
        let gate = Gate()
        let replicas = [
            try harness.gatedScraper(gate),
            try harness.orchestrator("o1"),
        ]
        let run = try await harness.run("slow")
        let snapshot = try await harness.finished(run)
        try await harness.stepCancelled(run, gate)
        for replica in replicas { await replica.shutdown() }
        #expect(snapshot.status == .failed)
        #expect(snapshot.error == "step scrape failed: timed out after 0.3 seconds")
    }

    @Test("an unknown workflow or missing input fails the task at once with a readable reason")
    func badRequests() async throws {
        let harness = try Harness(workflows: Self.testWorkflows)
        let replica = try harness.orchestrator("o1")
        let unknown = try await harness.finished(try await harness.run("nope"))
        let missing = try await harness.finished(try await harness.run("three"))
        await replica.shutdown()
        #expect(unknown.error == "unknown workflow 'nope' (workflows: three, flaky, slow, guarded)")
        #expect(missing.error == "workflow 'three': missing required input 'url'")
    }
}
