/// Runs a rule set over changed files: line rules on every added line, `large-file` per file, `missing-tests` once per change.
public struct RuleEngine: Sendable {
    public var rules: RuleSet
    /// Bytes of one added line the line rules look at (`ReviewLimits.maxScannedLineLength`).
    public var maxScannedLineLength: Int

    public init(rules: RuleSet, maxScannedLineLength: Int = ReviewLimits().maxScannedLineLength) {
        self.rules = rules
        self.maxScannedLineLength = maxScannedLineLength
    }

    /// The findings of every rule not in `disabled` over `files`. `allChangedPaths` are all paths of the change,
    /// skipped files included, so a test file left out by the limits still counts as a test change; nil means the paths of `files`.
    /// Very long lines are scanned in windows (`ScanWindow`), up to `maxScannedLineLength` bytes; a cancelled task (a
    /// review past its time limit) stops the scan with `CancellationError`.
    public func findings(in files: [ChangedFile], allChangedPaths: [String]? = nil, disabled: Set<String> = []) throws(CancellationError) -> [ReviewFinding] {
        let active = rules.rules.filter { !disabled.contains($0.id) }
        var findings: [ReviewFinding] = []
        for file in files {
            let applicable = active.filter { $0.scope.contains(file.path) }
            findings += try lineFindings(file, rules: applicable.filter { $0.isLineRule || $0.isFlowRule })
            for rule in applicable {
                if case .largeFile(let maxAddedLines) = rule.check, file.additions > maxAddedLines {
                    findings.append(finding(rule, file.path, nil, "\(rule.message) (\(file.additions) lines added; the limit is \(maxAddedLines))"))
                }
            }
        }
        let paths = allChangedPaths ?? files.map(\.path)
        for rule in active {
            if case .missingTests = rule.check, let finding = missingTests(rule, files: files, changedPaths: paths) {
                findings.append(finding)
            }
        }
        return findings
    }

    /// Line and flow rules over the added lines of one file. A line is lower-cased once and reaches a rule's expression
    /// only when it holds one of the rule's literals (`LiteralPrefilter`); it is cut into windows only when some
    /// expression runs. A flow rule remembers the variables its `source` lines built and looks for them in its `sink`.
    private func lineFindings(_ file: ChangedFile, rules: [ReviewRule]) throws(CancellationError) -> [ReviewFinding] {
        if rules.isEmpty { return [] }
        var findings: [ReviewFinding] = []
        var built = [[String: Int]](repeating: [:], count: rules.count)
        for (index, line) in file.addedLines.enumerated() {
            let lowered = LiteralPrefilter.lowered(line.text, limit: maxScannedLineLength)
            var cut: [ScanWindow]?
            func windows() -> [ScanWindow] {
                if let cut { return cut }
                let made = ScanWindow.windows(of: line.text, limit: maxScannedLineLength)
                cut = made
                return made
            }
            for (number, rule) in rules.enumerated() {
                switch rule.check {
                case .flow(let source, let sink, let within, let sourcePrefilter):
                    if !built[number].isEmpty, rule.prefilter.admits(lowered), let name = sink.firstCapture(windows()),
                       let at = built[number][name], index - at <= within {
                        findings.append(finding(rule, file.path, line.newLine, rule.message))
                    }
                    if sourcePrefilter.admits(lowered), let name = source.firstCapture(windows()) { built[number][name] = index }
                default:
                    if rule.prefilter.admits(lowered), rule.matches(windows()) {
                        var found = finding(rule, file.path, line.newLine, rule.message)
                        found.suggestion = rule.fixed(line: line.text)
                        findings.append(found)
                    }
                }
                if Task.isCancelled { throw CancellationError() }
            }
        }
        return findings
    }

    /// A note for each added line of `files` longer than `maxScannedLineLength`, which the line rules saw only in part.
    public func partlyScannedNotes(in files: [ChangedFile]) -> [String] {
        files.flatMap { file in
            file.addedLines.filter { $0.text.utf8.count > maxScannedLineLength }.map { line in
                "\(file.path)\(line.newLine.map { ":\($0)" } ?? ""): only the first \(maxScannedLineLength / 1024) KiB of this \(line.text.utf8.count / 1024) KiB line were checked by the rules."
            }
        }
    }

    private func missingTests(_ rule: ReviewRule, files: [ChangedFile], changedPaths: [String]) -> ReviewFinding? {
        guard !changedPaths.contains(where: rules.isTest) else { return nil }
        let sources = files.filter { $0.status != .removed && $0.additions > 0 && rule.scope.contains($0.path) && !rules.isTest($0.path) }
        guard let first = sources.first else { return nil }
        let names = Plural.list(sources.map(\.path), limit: 3)
        return finding(rule, first.path, nil, "\(rule.message) (changed without a test: \(names))")
    }

    private func finding(_ rule: ReviewRule, _ path: String, _ line: Int?, _ message: String) -> ReviewFinding {
        ReviewFinding(path: path, line: line, severity: rule.severity, rule: rule.id, message: message)
    }
}
