import AgentBase
import Foundation

/// A review for GitHub's "create a review for a pull request" API: a summary body carrying a hidden marker,
/// and inline comments on lines that are in the diff on the right side. Findings elsewhere are listed in the body.
public struct GitHubReview: Sendable, Hashable, Encodable {
    /// Marks a review as Switchboard's, so that a later run finds and updates it instead of posting another.
    public static let marker = "<!-- switchboard:review -->"
    /// Names the head commit the review covers (`<!-- switchboard:head <sha> -->`), where a push's review starts.
    static func headMarker(_ sha: String) -> String { "<!-- switchboard:head \(sha) -->" }

    /// The head a review's body says it covers.
    static func reviewedHead(in body: String) -> String? {
        guard let start = body.range(of: "<!-- switchboard:head ") else { return nil }
        let sha = body[start.upperBound...].prefix { $0.isHexDigit }
        return sha.count >= 7 ? String(sha) : nil
    }

    /// One inline comment on a line of the new file.
    public struct Comment: Sendable, Hashable, Encodable {
        public var path: String
        public var line: Int
        /// Always `RIGHT`: findings point at the new file.
        public var side: String
        public var body: String

        public init(path: String, line: Int, side: String = "RIGHT", body: String) {
            self.path = path
            self.line = line
            self.side = side
            self.body = body
        }
    }

    public var body: String
    /// `COMMENT`: the review informs, it does not approve or block.
    public var event: String
    public var comments: [Comment]
    /// The head commit reviewed, when known (`commit_id`).
    public var commitID: String?

    enum CodingKeys: String, CodingKey {
        case body
        case event
        case comments
        case commitID = "commit_id"
    }

    /// Renders `report`: one comment per right-side diff line that has findings (several findings on a line share it),
    /// the other findings in the body.
    /// With `inlineComments: false` every finding goes into the body (for updating a review already posted,
    /// whose inline comments cannot be replaced).
    public init(report: ReviewReport, commitID: String? = nil, inlineComments: Bool = true) {
        self.init(report: report, commitID: commitID, inlineComments: inlineComments, since: nil)
    }

    /// With `since`, the body is the section of a push's incremental review (`appending(to:)` puts it under the
    /// review posted before).
    init(report: ReviewReport, commitID: String?, inlineComments: Bool, since: String?) {
        var commentable: [String: Set<Int>] = [:]
        if inlineComments {
            for file in report.reviewedFiles { commentable[file.path] = file.rightSideLines }
        }
        var comments: [Comment] = []
        var commentIndex: [String: Int] = [:]
        var elsewhere: [ReviewFinding] = []
        for finding in report.findings {
            guard let line = finding.line, commentable[finding.path]?.contains(line) == true else {
                elsewhere.append(finding)
                continue
            }
            if let index = commentIndex[finding.location] {
                comments[index].body += "\n\n" + Self.commentBody(finding) + Self.suggestionBlock(finding)
            } else {
                commentIndex[finding.location] = comments.count
                comments.append(Comment(path: finding.path, line: line, body: Self.commentBody(finding) + Self.suggestionBlock(finding)))
            }
        }
        self.comments = comments.sorted { ($0.path, $0.line) < ($1.path, $1.line) }
        if let since {
            self.body = Self.section(report, since: since, head: commitID)
        } else {
            self.body = Self.body(report, elsewhere: elsewhere, heading: inlineComments ? "Findings outside the diff's lines" : "Findings", head: commitID)
        }
        self.event = "COMMENT"
        self.commitID = commitID
    }

    /// Whether a review body is one of Switchboard's (it carries the marker).
    public static func isSwitchboardReview(body: String) -> Bool {
        body.contains(marker)
    }

    /// A GitHub suggestion block with the fixed line (the author applies it with one click), or nothing.
    static func suggestionBlock(_ finding: ReviewFinding) -> String {
        guard let suggestion = finding.suggestion else { return "" }
        return "\n\n```suggestion\n\(suggestion)\n```"
    }

    static func commentBody(_ finding: ReviewFinding) -> String {
        "**\(finding.severity.rawValue)** · `\(finding.rule)` — \(finding.message)"
    }

    /// Most characters of a review body (GitHub takes 65,536): the oldest push sections go first.
    static let maxBody = 60_000

    /// The review posted before, its head marker moved to the new head, with this push's section after it.
    func appending(to earlier: String) -> String {
        guard let head = commitID else { return earlier + "\n\n" + body }
        var base = earlier
        if let old = Self.reviewedHead(in: earlier) { base = base.replacingOccurrences(of: Self.headMarker(old), with: Self.headMarker(head)) }
        var sections = base.components(separatedBy: Self.sectionBreak)
        while (sections + [body]).joined(separator: Self.sectionBreak).count > Self.maxBody, sections.count > 1 { sections.remove(at: 1) }
        return (sections + [body]).joined(separator: Self.sectionBreak)
    }

    static let sectionBreak = "\n\n---\n"

    /// A push's section: the commits it covers, its summary and every finding.
    private static func section(_ report: ReviewReport, since: String, head: String?) -> String {
        var lines = ["#### New commits \(since.prefix(12))…\(head.map { String($0.prefix(12)) } ?? "head")", "", report.summary]
        if !report.findings.isEmpty {
            lines += [""] + report.findings.map { "- `\($0.location)` " + commentBody($0) + suggestionBlock($0) }
        }
        return lines.joined(separator: "\n")
    }

    private static func body(_ report: ReviewReport, elsewhere: [ReviewFinding], heading: String, head: String?) -> String {
        var lines = [marker] + (head.map { [headMarker($0)] } ?? []) + ["### Switchboard review", "", report.summary]
        if !elsewhere.isEmpty {
            lines += ["", "**\(heading)**", ""]
            lines += elsewhere.map { "- `\($0.location)` " + commentBody($0) }
        }
        if !report.skipped.isEmpty {
            lines += ["", "<details><summary>Skipped files (\(report.skipped.count))</summary>", ""]
            lines += report.skipped.map { "- `\($0.path)`: \($0.reason)" }
            lines += ["", "</details>"]
        }
        return lines.joined(separator: "\n")
    }
}
