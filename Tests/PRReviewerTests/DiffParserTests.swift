import PRReviewer
import Testing

/// Unified diffs from `git diff` and GitHub's per-file patches, read into files, hunks and numbered lines.
struct DiffParserTests {
    @Test("git diff: every kind of file in one diff, with new-file line numbers on added lines")
    func plantedFixture() throws {
        let files = try UnifiedDiff.parse(TestData.fixture("planted.diff"))
        #expect(files.map(\.path) == ["Package.resolved", "README.txt", "Sources/App/Config.swift", "docs-notes.md", "logo.png", "scripts/deploy.py", "vendor/lib/x.go", "web/app.js"])
        #expect(files.map(\.status) == [.modified, .removed, .modified, .renamed, .added, .added, .modified, .modified])
        let config = files[2]
        #expect(config.addedLines.map(\.newLine) == [5, 9, 10])
        #expect(config.additions == 3 && config.deletions == 0)
        #expect(config.hunks.first?.section == "import Foundation")
        #expect(config.rightSideLines == Set(2...13))
        #expect(files[1].deletions == 1 && files[1].addedLines.isEmpty)
        #expect(files[3].previousPath == "notes.md" && files[3].hunks.isEmpty)
        #expect(files[4].isBinary && files[4].hunks.isEmpty)
        #expect(files[5].addedLines.count == 10 && files[5].addedLines.last?.newLine == 10)
    }

    @Test("renames with changes, quoted paths, no newline at end of file and CRLF line endings")
    func edgeCases() throws {
        let diff = [
            "diff --git a/old name.txt b/new name.txt",
            "similarity index 80%",
            "rename from old name.txt",
            "rename to new name.txt",
            "--- a/old name.txt",
            "+++ b/new name.txt",
            "@@ -1,2 +1,2 @@",
            " same",
            "-before",
            "\\ No newline at end of file",
            "+after",
            "\\ No newline at end of file",
            "diff --git \"a/caf\\303\\251.txt\" \"b/caf\\303\\251.txt\"",
            "index 1111111..2222222 100644",
            "--- \"a/caf\\303\\251.txt\"",
            "+++ \"b/caf\\303\\251.txt\"",
            "@@ -3 +3,2 @@ section",
            " three",
            "+four",
            "",
        ].joined(separator: "\r\n")
        let files = try UnifiedDiff.parse(diff)
        #expect(files.count == 2)
        #expect(files[0].path == "new name.txt" && files[0].previousPath == "old name.txt" && files[0].status == .renamed)
        let lines = files[0].hunks[0].lines
        #expect(lines.map(\.text) == ["same", "before", "after"])
        #expect(lines.map(\.missingNewline) == [false, true, true])
        #expect(lines[2].newLine == 2 && lines[1].oldLine == 2)
        #expect(files[1].path == "café.txt")
        #expect(files[1].addedLines.map(\.newLine) == [4])
        #expect(files[1].addedLines.first?.text == "four")
    }

    @Test("binary patches, mode changes and a diff -u without git headers")
    func otherHeaders() throws {
        let diff = """
        --- lib.c\t2024-01-01 10:00:00
        +++ lib.c\t2024-01-02 10:00:00
        @@ -1 +1 @@
        -int a;
        +int b;
        diff --git a/bin/tool b/bin/tool
        old mode 100644
        new mode 100755
        diff --git a/img.png b/img.png
        GIT binary patch
        literal 10
        Rc$@<O00001

        """
        let files = try UnifiedDiff.parse(diff)
        #expect(files.map(\.path) == ["lib.c", "bin/tool", "img.png"])
        #expect(files[0].addedLines.first?.newLine == 1)
        #expect(files[1].hunks.isEmpty && !files[1].isBinary)
        #expect(files[2].isBinary)
    }

    @Test("GitHub's per-file patch and file fields make the same model")
    func forgePatch() throws {
        let patch = "@@ -10,3 +10,4 @@ func run() {\n     let a = 1\n-    let b = 2\n+    let b = 3\n+    let c = 4\n     return\n@@ -40,0 +42,1 @@\n+// end"
        let file = try ChangedFile(forgePath: "Sources/Run.swift", status: "modified", patch: patch, additions: 3, deletions: 1)
        #expect(file.hunks.count == 2)
        #expect(file.addedLines.map(\.newLine) == [11, 12, 42])
        #expect(file.additions == 3 && file.deletions == 1)
        #expect(file.rightSideLines == [10, 11, 12, 13, 42])
        let binary = try ChangedFile(forgePath: "logo.png", status: "added", patch: nil)
        #expect(binary.isBinary)
        let huge = try ChangedFile(forgePath: "data.sql", status: "changed", patch: nil, additions: 90_000)
        #expect(!huge.isBinary && huge.isMissingPatch && huge.status == .modified)
        let renamed = try ChangedFile(forgePath: "b.swift", status: "renamed", patch: nil, previousPath: "a.swift")
        #expect(renamed.previousPath == "a.swift" && renamed.status == .renamed && !renamed.isBinary)
    }

    @Test("malformed diffs are errors that name the line", arguments: [
        ("diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n-a\n+b\n", 6, "ends early"),
        ("diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,2 +1 @@\n-a\n+b\n+c\n", 7, "does not fit"),
        ("diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -one +1 @@\n", 4, "malformed hunk header"),
    ])
    func malformed(diff: String, line: Int, message: String) throws {
        let error = try #require(throws: DiffParseError.self) { try UnifiedDiff.parse(diff) }
        #expect(error.line == line)
        #expect(error.description.contains(message))
    }

    @Test("a patch with text outside hunks is an error")
    func strayPatchText() throws {
        let error = try #require(throws: DiffParseError.self) { try UnifiedDiff.parseHunks("+added without a header") }
        #expect(error.line == 1)
        let extra = try #require(throws: DiffParseError.self) { try UnifiedDiff.parseHunks("@@ -1 +1 @@\n-a\n+b\n+c") }
        #expect(extra.line == 4)
        #expect(extra.description.contains("expected a hunk header"))
    }
}
