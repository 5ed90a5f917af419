import AgentBase
import ArgumentParser
import Foundation
import PRReviewer

/// Measures the offline review on a large generated diff: parse + triage + every rule, in diff lines per second.
@main
struct ReviewBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review-bench",
        abstract: "Diff lines per second of PRReviewer's offline rule engine (parse + triage + rules) on a generated diff. Build with -c release."
    )

    @Option(help: "Files in the diff.")
    var files: Int = 100

    @Option(help: "Added lines per file.")
    var lines: Int = 1_000

    @Option(help: "Runs over the same diff.")
    var runs: Int = 5

    @Option(help: "The rules file.")
    var rules: String = RuleSet.defaultPath

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    func run() async throws {
        let ruleSet = try RuleSet.load(path: rules)
        let diff = Self.diff(files: files, lines: lines)
        let diffLines = diff.split(separator: "\n", omittingEmptySubsequences: false).count
        let reviewer = Reviewer(rules: ruleSet, limits: ReviewLimits(maxFiles: files + 1, maxChangedLinesPerFile: lines + 1, maxTotalChangedLines: files * lines + 1))
        var seconds: [Double] = []
        var findings = 0
        for _ in 0..<runs {
            let start = ContinuousClock.now
            let report = try reviewer.review(UnifiedDiff.parse(diff))
            let elapsed = ContinuousClock.now - start
            seconds.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
            findings = report.findings.count
        }
        let best = seconds.min() ?? 0
        let median = seconds.sorted()[seconds.count / 2]
        let rate = Double(diffLines) / median
        if json {
            let object: [String: Any] = ["diff_lines": diffLines, "rules": ruleSet.rules.count, "findings": findings, "lines_per_s": rate.rounded(), "best_s": best, "median_s": median, "rss_peak_mb": ProcessStats.peakRSSMegabytes()]
            print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self))
        } else {
            print("review-bench: \(files) files × \(lines) added lines = \(diffLines) diff lines, \(ruleSet.rules.count) rules, \(findings) findings")
            print(String(format: "parse + triage + rules: %.0f diff lines/s (median of %d runs, %.2f s; best %.2f s), peak RSS %.1f MB", rate, runs, median, best, ProcessStats.peakRSSMegabytes()))
        }
    }

    /// A diff of new files in three languages with a defect every hundred lines.
    static func diff(files: Int, lines: Int) -> String {
        var text = ""
        let kinds = [("py", "    total = compute(values, index)  # sum the window"), ("js", "  const total = compute(values, index); // sum the window"), ("swift", "        let total = compute(values, index) // sum the window")]
        let defects = ["result = eval(user_input)", "# TODO: handle the error", "os.system(\"rm \" + path)", "console.log(payload)", "chmod 777 /srv/app"]
        for file in 0..<files {
            let (ext, line) = kinds[file % kinds.count]
            let path = "src/module\(file)/file\(file).\(ext)"
            text += "diff --git a/\(path) b/\(path)\nnew file mode 100644\n--- /dev/null\n+++ b/\(path)\n@@ -0,0 +1,\(lines) @@\n"
            for index in 0..<lines {
                text += "+" + (index % 100 == 99 ? defects[(file + index) % defects.count] : line.replacingOccurrences(of: "index", with: "i\(index)")) + "\n"
            }
        }
        return text
    }
}
