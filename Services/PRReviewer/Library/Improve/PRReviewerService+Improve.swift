import AgentBase
import Forge

extension PRReviewerService {
    /// Suggests replacements of single lines: the rules' mechanical fixes (offline), then, with a model, the model's
    /// for the riskiest parts of the diff (at most `REVIEW_MODEL_MAX_PARTS` calls); a line with a rule's fix keeps it.
    /// With `post`, the suggestions go on the pull request as one review of suggestion blocks.
    public func improve(_ request: PRImproveRequest, context: TaskContext) async throws -> PRImproveResult {
        await context.progress("reading \(request.repo)#\(request.number)", percent: 10)
        let source = try await load(.pullRequest(repo: request.repo, number: request.number), context: context)
        return try await improve(source, post: request.post, context: context)
    }

    /// The suggestions for a change already loaded (a review started by a forge event runs them on its own source).
    func improve(_ source: ReviewSource, post: Bool, context: TaskContext) async throws -> PRImproveResult {
        let report = try reviewer.review(source.files)
        var suggestions = report.findings.compactMap { Self.suggestion($0) }
        var result = PRImproveResult(suggestions: [])
        var chunks = model.chunker.chunks(RiskOrder.sorted(report.reviewedFiles, findings: report.findings))
        if chunks.count > model.maxParts {
            chunks = Array(chunks.prefix(model.maxParts))
            result.notes.append("The change is larger than the model's budget: it saw the riskiest \(Plural.count(model.maxParts, "part")).")
        }
        modelParts: for (index, chunk) in chunks.enumerated() {
            await context.progress("asking the model for suggestions, part \(index + 1) of \(chunks.count)", percent: 30 + 50 * Double(index) / Double(chunks.count))
            let prompt = ImprovePrompt(chunk: chunk, title: source.title)
            do {
                let reply = try await model.model.complete(system: prompt.system, messages: [.user(prompt.user)])
                let taken = Set(suggestions.map { "\($0.path):\($0.line)" })
                suggestions += try ModelAnswer.parse(reply, chunk: chunk).findings.compactMap { Self.suggestion($0) }.filter { !taken.contains("\($0.path):\($0.line)") }
            } catch LanguageModelError.notConfigured {
                result.notes.append("No model is configured (LLM_PROVIDER=offline): only the rules' mechanical fixes.")
                break modelParts
            } catch {
                result.notes.append("The model's suggestions for part \(index + 1) failed (\(error)).")
            }
        }
        result.suggestions = suggestions.sorted { ($0.path, $0.line) < ($1.path, $1.line) }
        guard post, let pull = source.pullRequest, !result.suggestions.isEmpty else { return result }
        await context.progress("posting the suggestions", percent: 90)
        let commentable = Dictionary(report.reviewedFiles.map { ($0.path, $0.rightSideLines) }, uniquingKeysWith: { first, _ in first })
        do {
            result.reviewURL = try await SuggestionReview(forge: forge).post(result.suggestions, commentable: commentable, to: pull, headSHA: source.headSHA)
        } catch {
            throw Self.agentError(error)
        }
        result.posted = true
        return result
    }

    /// A finding with a replacement line as a suggestion.
    static func suggestion(_ finding: ReviewFinding) -> PRImproveResult.Suggestion? {
        guard let line = finding.line, let replacement = finding.suggestion else { return nil }
        return PRImproveResult.Suggestion(path: finding.path, line: line, replacement: replacement, message: finding.message, source: finding.source == .model ? "model" : "rules")
    }
}
