import AgentBase

/// The model's part of a review: the reviewed diff in chunks, one structured answer per chunk, merged into the
/// report. Without a model, or when the model fails, the review stands on the rules and says so.
struct ModelReviewer: Sendable {
    let model: any LanguageModel
    let chunker: DiffChunker

    func review(_ report: inout ReviewReport, title: String?, description: String?, context: TaskContext) async {
        let chunks = chunker.chunks(report.reviewedFiles)
        guard !chunks.isEmpty else { return }
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
