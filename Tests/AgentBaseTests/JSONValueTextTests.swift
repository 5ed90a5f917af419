import AgentBase
import Foundation
import Testing

/// JSON text in and out of `JSONValue` without `Codable`: the same values Foundation reads, the same bytes it writes.
struct JSONValueTextTests {
    static let documents = [
        #"{"a":1,"b":[true,false,null],"c":{"d":"e\"f\\g\/h"},"n":-0.5,"x":1e3,"y":2.5E-3,"big":12345678901234}"#,
        #"  [ 1 , "two" , { } , [ ] ]  "#,
        #""caf\u00e9 \ud83d\ude00 tab\t nl\n""#,
        #"{"unicode":"é ü 日本 😀","slash":"a/b","ctl":"\u0001"}"#,
        "3", "true", "null", #""""#, "-12.75", "0",
    ]

    @Test("reads what Foundation reads", arguments: documents)
    func readsLikeFoundation(_ text: String) throws {
        let ours = try JSONValue(parsing: text)
        let foundation = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        #expect(ours == foundation)
    }

    @Test("writes the bytes JSONEncoder writes with sorted keys and unescaped slashes", arguments: documents)
    func writesLikeFoundation(_ text: String) throws {
        let value = try JSONValue(parsing: text)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        #expect(value.jsonString == String(decoding: try encoder.encode(value), as: UTF8.self))
        #expect(try JSONValue(parsing: value.jsonString) == value)
    }

    @Test("refuses what is not JSON, naming where", arguments: [
        "", "{", "[1,]", "{\"a\":}", "{\"a\" 1}", "tru", "01", "1.", "1e", "\"unterminated", "\"\\x\"", "\"\\ud800\"", "[1] 2", "{'a':1}", "\"a\u{01}\"",
    ])
    func refuses(_ text: String) {
        #expect(throws: (any Error).self) { try JSONValue(parsing: text) }
    }

    @Test("deep nesting is refused, not recursed into until the stack ends")
    func depth() {
        #expect(throws: (any Error).self) { try JSONValue(parsing: String(repeating: "[", count: 100_000)) }
        #expect((try? JSONValue(parsing: String(repeating: "[", count: 100) + String(repeating: "]", count: 100))) != nil)
    }

    @Test("timestamps are ISO-8601 UTC with milliseconds")
    func timestamps() {
        #expect(ISO8601.string(Date(timeIntervalSince1970: 1_796_050_891.123_4)) == "2026-11-30T15:01:31.123Z")
        #expect(ISO8601.string(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(ISO8601.string(Date(timeIntervalSince1970: -0.5)) == "1969-12-31T23:59:59.500Z")
        #expect(ISO8601.string(Date(timeIntervalSince1970: 951_782_400.999)) == "2000-02-29T00:00:00.999Z")
    }
}
