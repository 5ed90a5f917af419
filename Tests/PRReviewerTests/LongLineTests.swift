import AgentBase
import Foundation
@testable import PRReviewer
import Testing

/// Very long added lines (minified JavaScript): scanned whole, in windows whose cost is bounded, and cancellable.
struct LongLineTests {
    // Assembled at run time: no literal credential in the tree.
    static let awsKey = "AKIA" + String(repeating: "Q7", count: 8)

    /// About `megabytes` MiB of one line that makes a backtracking rule work hard (the secret-assignment rule
    /// scans a chain of identifiers after each `key` in it), with `planted` at `offset` bytes.
    static func pathological(megabytes: Int, planted: String = "", at offset: Int = 0) -> String {
        var line = String(repeating: "a.key", count: megabytes * 1024 * 1024 / 5)
        line.insert(contentsOf: planted, at: line.utf8.index(line.startIndex, offsetBy: offset))
        return line
    }

    @Test("a multi-megabyte line finishes and is reviewed: findings in its scanned part and on the lines around it, and a note", .timeLimit(.minutes(1)))
    func multiMegabyteLine() throws {
        let limit = ReviewLimits().maxScannedLineLength
        let long = Self.pathological(megabytes: 3, planted: #" id="\#(Self.awsKey)" "#, at: limit - 10_000)
        let file = TestData.added("dist/app.js", ["result = eval(input);", long, "console.log(result);"])
        let report = try Reviewer(rules: try TestData.rules()).review([file, TestData.added("tests/app.test.js", ["ok()"])])
        let places = TestData.places(report.findings)
        #expect(places.contains("eval dist/app.js:1"))
        #expect(places.contains("aws-access-key-id dist/app.js:2"))
        #expect(places.contains("js-console-log dist/app.js:3"))
        #expect(report.notes == ["dist/app.js:2: only the first \(limit / 1024) KiB of this \(long.utf8.count / 1024) KiB line were checked by the rules."])
    }

    @Test("window edges: a match straddling two windows is found; ^ and $ hold only at the line's real ends")
    func windowEdges() throws {
        let rules = try TestData.rules()
        let aws = try #require(rules.rule(id: "aws-access-key-id"))
        let padding = String(repeating: "x", count: ScanWindow.size - 7) + " "
        let straddling = padding + Self.awsKey + " " + String(repeating: "y", count: 3 * ScanWindow.size)
        #expect(ScanWindow.windows(of: straddling).count > 1)
        #expect(aws.matches(line: straddling))
        let conflict = try #require(rules.rule(id: "merge-conflict-marker"))
        let midLine = String(repeating: "a", count: ScanWindow.size) + "<<<<<<< HEAD " + String(repeating: "b", count: 3 * ScanWindow.size)
        #expect(!conflict.matches(line: midLine))
        #expect(conflict.matches(line: "<<<<<<< HEAD " + String(repeating: "b", count: 3 * ScanWindow.size)))
        let windows = ScanWindow.windows(of: midLine)
        #expect(windows.map(\.range.length).reduce(0, +) >= midLine.utf16.count)
        #expect(windows.allSatisfy { $0.text.utf16.count <= ScanWindow.size + 3 * ScanWindow.overlap })
    }

    @Test("a cancelled review stops with CancellationError instead of scanning on")
    func cancellation() async throws {
        let rules = try TestData.rules()
        let lines = Array(repeating: Self.pathological(megabytes: 1), count: 8)
        let review = Task { try Reviewer(rules: rules).review([TestData.added("dist/app.js", lines)]) }
        review.cancel()
        await #expect(throws: CancellationError.self) { try await review.value }
    }
}
