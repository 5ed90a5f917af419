/// Runs a rule set over changed files: line rules on every added line, `large-file` per file, `missing-tests` once per change.
public struct RuleEngine: Sendable {
    public var rules: RuleSet

    public init(rules: RuleSet) {
        self.rules = rules
    }

    /// The findings of every rule not in `disabled` over `files`. `allChangedPaths` are all paths of the change,
    /// skipped files included, so a test file left out by the limits still counts as a test change; nil means the paths of `files`.
    /// Very long lines are scanned in windows (`ScanWindow`); a cancelled task (a review past its time limit) stops
    /// the scan with `CancellationError`.
    public func findings(in files: [ChangedFile], allChangedPaths: [String]? = nil, disabled: Set<String> = []) throws(CancellationError) -> [ReviewFinding] {
        let active = rules.rules.filter { !disabled.contains($0.id) }
        var findings: [ReviewFinding] = []
        for file in files {
            let applicable = active.filter { $0.scope.contains(file.path) }
            let lineRules = applicable.filter(\.isLineRule)
            if !lineRules.isEmpty {
                for line in file.addedLines {
                    let windows = ScanWindow.windows(of: line.text)
                    for rule in lineRules {
                        let matched = rule.matches(windows)
                        if Task.isCancelled { throw CancellationError() }
                        if matched { findings.append(finding(rule, file.path, line.newLine, rule.message)) }
                    }
                }
            }
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

    private func missingTests(_ rule: ReviewRule, files: [ChangedFile], changedPaths: [String]) -> ReviewFinding? {
        guard !changedPaths.contains(where: rules.isTest) else { return nil }
        let sources = files.filter { $0.status != .removed && $0.additions > 0 && rule.scope.contains($0.path) && !rules.isTest($0.path) }
        guard let first = sources.first else { return nil }
        let names = sources.prefix(3).map(\.path).joined(separator: ", ") + (sources.count > 3 ? " and \(sources.count - 3) more" : "")
        return finding(rule, first.path, nil, "\(rule.message) (changed without a test: \(names))")
    }

    private func finding(_ rule: ReviewRule, _ path: String, _ line: Int?, _ message: String) -> ReviewFinding {
        ReviewFinding(path: path, line: line, severity: rule.severity, rule: rule.id, message: message)
    }
}
