extension ReviewReport {
    /// Adds a model's answers (one per chunk): their findings, their summaries joined as the model summary,
    /// and a note saying how many findings were dropped for pointing outside the diff.
    public mutating func addModelAnswers(_ answers: [ModelAnswer]) {
        add(answers.flatMap(\.findings))
        let summaries = answers.map(\.summary).filter { !$0.isEmpty }
        if !summaries.isEmpty { modelSummary = summaries.joined(separator: "\n\n") }
        let dropped = answers.reduce(0) { $0 + $1.dropped }
        if dropped > 0 { notes.append("\(Plural.count(dropped, "model finding")) outside the diff dropped.") }
    }
}
