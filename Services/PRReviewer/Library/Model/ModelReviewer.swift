import AgentBase

/// The model's part of a review: the reviewed diff in chunks, one structured answer per chunk, merged into the
/// report. A change larger than `maxParts` chunks sends its riskiest files first (`RiskOrder`) and lists the files
/// left to the rules. Without a model, or when the model fails, the review stands on the rules and says so.
struct ModelReviewer: Sendable {
    let model: any LanguageModel
    let chunker: DiffChunker
    /// Model calls per review at the most (`REVIEW_MODEL_MAX_PARTS`).
    let maxParts: Int

    func review(_ report: inout ReviewReport, title: String?, description: String?, context: TaskContext) async {
        var chunks = chunker.chunks(RiskOrder.sorted(report.reviewedFiles, findings: report.findings))
        guard !chunks.isEmpty else { return }
        if chunks.count > maxParts {
            chunks = Array(chunks.prefix(maxParts))
            let sent = Set(chunks.flatMap(\.lines.keys))
            let left = report.reviewedFiles.map(\.path).filter { !sent.contains($0) }
            report.notes.append("The change is larger than the model's budget (\(Plural.count(maxParts, "part"))): the riskiest files went first, and \(Plural.count(left.count, "file")) had the rules only: \(Plural.list(left, limit: 10)).")
        }
        var answers: [ModelAnswer] = []
        for (index, chunk) in chunks.enumerated() {
            await context.progress("model review, part \(index + 1) of \(chunks.count)", percent: 40 + 40 * Double(index) / Double(chunks.count))
            let prompt = ReviewPrompt(chunk: chunk, part: index + 1, of: chunks.count, title: title, description: description)
            do {
                let reply = try await model.complete(system: prompt.system, messages: [.user(prompt.user)])
                answers.append(try ModelAnswer.parse(reply, chunk: chunk))
            } catch LanguageModelError.notConfigured {
                report.notes.append("No model is configured (LLM_PROVIDER=offline): rules only.")
                return
            } catch {
                report.notes.append("The model review of part \(index + 1) failed (\(error)); those files are reviewed by the rules only.")
            }
        }
        report.addModelAnswers(answers)
    }
}
