import AgentBase
import Foundation
import GitKit

/// The model's agent loop: one model turn after another, each tool call run in the work tree and its result sent
/// back, until the model answers without a tool call and the tests pass — or a bound stops it: `maxTurns`, the wall
/// time `timeout`, or a budget error from the model. Every step is published as `task.progress`.
struct CodingLoop: Sendable {
    let model: any LanguageModel
    let limits: CodeWriterLimits

    /// How the loop ended.
    struct Outcome: Sendable {
        /// Why a bound stopped the loop before the model finished; `nil` when it finished.
        var stopped: String?
        /// The model's last text: a summary of the change.
        var summary: String
        /// The test report of the final state, when the loop ran the tests on it.
        var tests: TestRunReport?
        /// Files the model handed back for the person (`send_file`), in order.
        var files: [OutgoingFile] = []
        /// The provider's own conversation the answers belong to (the Claude CLI's session), to resume next time.
        var session: String?
    }

    /// Runs the loop from the instructions `system` and the first message `opening` (a spec, a session's turn).
    /// With `resume`, a provider that keeps conversations of its own (claude-cli) continues that one.
    func run(system: String, opening: ModelMessage, tools: WorktreeTools, context: TaskContext, resume: ProviderSession? = nil) async throws -> Outcome {
        var files: [OutgoingFile] = []
        var session = resume
        var outcome = try await loop(system: system, opening: opening, tools: tools, context: context, files: &files, session: &session)
        outcome.files = files
        outcome.session = session?.id
        return outcome
    }

    private func loop(system: String, opening: ModelMessage, tools: WorktreeTools, context: TaskContext, files: inout [OutgoingFile], session: inout ProviderSession?) async throws -> Outcome {
        let deadline = ContinuousClock.now + limits.timeout
        let definitions = tools.definitions
        var messages = [opening]
        var summary = ""
        var turn = 0
        while true {
            guard turn < limits.maxTurns else {
                return Outcome(stopped: "the model did not finish within \(limits.maxTurns) turns (CODEWRITER_MAX_TURNS)", summary: summary)
            }
            guard ContinuousClock.now < deadline else {
                return Outcome(stopped: "the model did not finish within \(limits.timeout) (CODEWRITER_TIMEOUT)", summary: summary)
            }
            turn += 1
            let label = "turn \(turn)"
            await context.progress("\(label): asking the model", percent: progress(turn))
            var request = ModelRequest(system: system, messages: messages, tools: definitions)
            // A provider that edits files itself (claude-cli) works in the task's work tree, nowhere else.
            request.workingDirectory = tools.worktree.directory.path
            if let attachments = tools.attachments { request.readOnlyDirectories = [attachments.directory.path] }
            request.resume = session
            let response: ModelResponse
            do {
                guard let answer = try await Self.answer(model, request, before: deadline, onEvent: { event in
                    if case .status(let status) = event { await context.progress("\(label): \(status)") }
                }) else {
                    return Outcome(stopped: "the model did not finish within \(limits.timeout) (CODEWRITER_TIMEOUT)", summary: summary)
                }
                response = answer
            } catch LanguageModelError.overBudget(let message) {
                return Outcome(stopped: "the model's budget ran out: \(message)", summary: summary)
            }
            // A provider that edits files with its own tools (claude-cli) leaves its change unstaged: stage it, as
            // write_file does, before the tests can leave anything behind.
            if model.editsWorkingDirectory { try await tools.worktree.run(["add", "--all"]) }
            if let id = response.session { session?.id = id }
            messages.append(ModelMessage(role: .assistant, content: response.content))
            if !response.text.isEmpty { summary = response.text }
            let uses = response.toolUses
            if uses.isEmpty {
                guard tools.testCommand != nil else { return Outcome(summary: summary) }
                await context.progress("\(label): the model is done; running the tests", percent: progress(turn))
                let outcome = try await tools.runTests()
                guard let report = outcome.tests, let command = tools.testCommand else { return Outcome(summary: summary) }
                if report.passed { return Outcome(summary: summary, tests: report) }
                messages.append(LoopPrompt.testsFailed(report, command: command))
                continue
            }
            var results: [ModelContent] = []
            for use in uses {
                await context.progress("\(label): \(use.name)\(Self.subject(of: use.input).map { " \($0)" } ?? "")", percent: progress(turn))
                let outcome = try await tools.call(use.name, input: use.input)
                if let file = outcome.file { files.append(file) }
                results.append(.toolResult(id: use.id, content: outcome.text, isError: outcome.isError))
            }
            messages.append(ModelMessage(role: .user, content: results))
        }
    }

    /// Progress from 20 % (first turn) towards 65 % (the turn limit).
    private func progress(_ turn: Int) -> Double {
        20 + 45 * Double(turn) / Double(max(1, limits.maxTurns))
    }

    /// What a tool call works on, for the progress line: its path or search pattern.
    static func subject(of input: JSONValue) -> String? {
        input["path"]?.stringValue ?? input["pattern"]?.stringValue.map { "'\($0.prefix(60))'" }
    }

    /// The model's answer, or `nil` when `deadline` passes first (the call is cancelled).
    static func answer(_ model: any LanguageModel, _ request: ModelRequest, before deadline: ContinuousClock.Instant,
                       onEvent: @escaping @Sendable (ModelEvent) async -> Void) async throws -> ModelResponse? {
        try await withDeadline(deadline) { try await model.respond(to: request, onEvent: onEvent) }
    }
}
