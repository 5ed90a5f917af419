import AgentBase
@testable import PRReviewer
import Testing

/// Very long added lines (minified JavaScript): scanned whole, in windows whose cost is bounded, and cancellable.
struct LongLineTests {
    // Assembled at run time: no literal credential in the tree.
    static let awsKey = "AKIA" + String(repeating: "Q7", count: 8)

    /// About `megabytes` MiB of minified-looking JavaScript on one line, with runs that make backtracking rules work
    /// hard (identifier chains after `key`, unclosed template literals after `exec(`), and `planted` at `offset`.
    static func minified(megabytes: Int, planted: String, at offset: Int) -> String {
        let chunk = #"var e=t.key.a.b.c.d.keykeykey.f,n=function(r){return exec(`${r}+"x"+r.auth.token.id.key},o="";"#
        var line = String(repeating: chunk, count: megabytes * 1024 * 1024 / chunk.utf8.count)
        line.insert(contentsOf: planted, at: line.utf8.index(line.startIndex, offsetBy: offset))
        return line
    }

    @Test("a multi-megabyte line is reviewed: a finding deep inside it and the findings on the lines around it", .timeLimit(.minutes(2)))
    func multiMegabyteLine() throws {
        let long = Self.minified(megabytes: 3, planted: #";var id="\#(Self.awsKey)";"#, at: 2_500_000)
        let file = TestData.added("dist/app.js", ["result = eval(input);", long, "console.log(result);"])
        let places = TestData.places(try RuleEngine(rules: try TestData.rules()).findings(in: [file], allChangedPaths: ["tests/app.test.js"]))
        #expect(places.contains("eval dist/app.js:1"))
        #expect(places.contains("aws-access-key-id dist/app.js:2"))
        #expect(places.contains("js-console-log dist/app.js:3"))
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
        let lines = (0..<8).map { Self.minified(megabytes: 1, planted: "", at: $0) }
        let review = Task { try Reviewer(rules: rules).review([TestData.added("dist/app.js", lines)]) }
        review.cancel()
        await #expect(throws: CancellationError.self) { try await review.value }
    }
}
