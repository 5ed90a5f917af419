@testable import AgentBase
import Foundation
import Testing

/// How each built-in result says itself in words (`ReadableResult`): the text chat and the dashboard show.
struct ResultTextTests {
    private func decode<T: Decodable>(_ json: String, as _: T.Type = T.self) throws -> T {
        try JSONCoding.decoder.decode(T.self, from: Data(json.utf8))
    }

    @Test("a chat reply, then the suggested command unless the reply already shows it")
    func chatReply() throws {
        let suggested: ChatMessageResult = try decode(#"{"reply":"The PR reviewer can do that.","suggested_command":"/review example-org/example-repo 42"}"#)
        #expect(suggested.text == "The PR reviewer can do that.\n\nTry: /review example-org/example-repo 42")
        let shown: ChatMessageResult = try decode(#"{"reply":"Usage: `/merge <repo-url> <source> <target>`","suggested_command":"/merge <repo-url> <source> <target>"}"#)
        #expect(shown.text == "Usage: `/merge <repo-url> <source> <target>`")
        #expect(try decode(#"{"reply":"Hi!"}"#, as: ChatMessageResult.self).text == "Hi!")
    }

    @Test("a scrape shows the count, the changes since the last sync, then the checklist")
    func todos() throws {
        let result: TodosScrapeResult = try decode(#"{"source_url":"https://todo.example.com/list","fetched_at":"2026-11-22T08:00:00Z","items":[{"text":"Pack","done":false},{"text":"Book flights","done":true}],"markdown":"- [ ] Pack\n- [x] Book flights\n","changes":{"since":"2026-11-21T08:00:00Z","added":["Pack"],"completed":["Book flights"],"reopened":[],"removed":["Buy sunscreen"]}}"#)
        #expect(result.text == """
            ✅ 2 items from https://todo.example.com/list (1 done)
            Changes since 2026-11-21T08:00:00Z:
            ➕ New: Pack
            ☑️ Completed: Book flights
            ➖ Gone: Buy sunscreen
            - [ ] Pack
            - [x] Book flights

            """)
        let unchanged: TodosScrapeResult = try decode(#"{"source_url":"https://todo.example.com/list","fetched_at":"2026-11-22T08:00:00Z","items":[{"text":"Pack","done":false}],"changes":{"since":"yesterday","added":[],"completed":[],"reopened":[],"removed":[]}}"#)
        #expect(unchanged.text == "✅ 1 items from https://todo.example.com/list (0 done)\nNo changes since yesterday.\n- [ ] Pack")
    }

    @Test("a code.write result shows the branch, the tests, the PR and the note")
    func codeWrite() throws {
        let result: CodeWriteResult = try decode(#"{"branch":"switchboard/t1-fix","commit":"9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c","tests":{"passed":false,"output_tail":"1 failed"},"note":"the tests failed: the branch was pushed for inspection; no pull request was opened"}"#)
        #expect(result.text == """
            ✅ Branch switchboard/t1-fix at 9b8c7d6e5f4a
            Tests failed.
            ⚠️ the tests failed: the branch was pushed for inspection; no pull request was opened
            """)
    }

    @Test("a review shows the summary, findings with their place, and the review's link")
    func review() throws {
        let result: PRReviewResult = try decode(#"{"summary":"1 finding","findings":[{"path":"app.py","line":3,"severity":"error","rule":"secrets","message":"a key in the code"}],"posted":true,"review_url":"https://forge.example.com/r/1"}"#)
        #expect(result.text == "✅ Review: 1 finding\n- error app.py:3: a key in the code\nhttps://forge.example.com/r/1")
    }

    @Test("a merge stopped on conflicts lists each file and hunk; a dry-run prune says what would go")
    func repo() throws {
        let merge: RepoMergeResult = try decode(#"{"merged":false,"pushed":false,"conflicts":[{"path":"config.txt","hunks":[{"ours":"alpha-main\n","theirs":"alpha-feature\n","start_line":1}]}]}"#)
        #expect(merge.text == """
            ⚠️ Merge stopped on conflicts in 1 file (nothing was pushed):
            • config.txt — 1 hunk
              line 1: ours “alpha-main” vs theirs “alpha-feature”
            Resolve with strategy ours, theirs, union or llm, or by hand.
            """)
        let prune: RepoPruneResult = try decode(#"{"branches":[{"name":"old","ahead":0,"behind":2,"last_commit":{"sha":"0123456789abcdef","subject":"x","author":"A","date":"2026-11-01T00:00:00Z"}}],"deleted":false}"#)
        #expect(prune.text.hasPrefix("🧹 Dry run: 1 branches are merged and would be deleted: old"))
        let merged: RepoMergeResult = try decode(#"{"merged":true,"commit":"89abcdef0123","pushed":true,"resolved":["config.txt"]}"#)
        #expect(merged.text == "✅ Merge done at 89abcde, pushed.\nResolved: config.txt")
    }

    @Test("every request's result type says itself in words")
    func everyResultIsReadable() {
        for request in MessageCatalogue.requests where request.type != TaskCancel.type {
            #expect(MessageCatalogue.payloadTypes[MessageCatalogue.resultSchemaName(for: request.type)] is any ReadableResult.Type, "\(request.type)")
        }
    }
}
