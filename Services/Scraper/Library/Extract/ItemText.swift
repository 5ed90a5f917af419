import AgentBase
import Foundation

/// Builds a `TodoItem` from raw item text: whitespace normalised, a due date (`due 2026-12-01`, `(due: …)`,
/// `📅 …`) and trailing `#tag` / `@tag` words lifted into fields; tags inside the sentence stay in the text too.
enum ItemText {
    /// Collapses every run of whitespace (including no-break spaces) to one space and trims.
    static func normalise(_ text: String) -> String {
        var output = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if isSpace(scalar) {
                pendingSpace = !output.isEmpty
            } else {
                if pendingSpace { output.append(" ") }
                pendingSpace = false
                output.append(scalar)
            }
        }
        return String(output)
    }

    /// Whitespace, no-break and zero-width spaces; ASCII answered without a Unicode table lookup.
    private static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value < 0x80 { return scalar == " " || (0x09...0x0D).contains(scalar.value) }
        return scalar.value == 0x200B || scalar.properties.isWhitespace
    }

    /// A todo item from text; `due` and `tags` from the page's markup win over those found in the text.
    static func item(_ raw: String, done: Bool, due: String? = nil, tags: [String] = [], children: [TodoItem] = []) -> TodoItem? {
        var text = normalise(raw)
        var due = due.flatMap(normaliseDate)
        if text.utf8.contains(where: { $0 >= 0x30 && $0 <= 0x39 }), let match = dueExpression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
           let whole = Range(match.range, in: text), let date = Range(match.range(at: 1), in: text) {
            if due == nil { due = normaliseDate(String(text[date])) }
            text.replaceSubrange(whole, with: " ")
            text = normalise(text)
        }
        var allTags = tags.map(normalise).filter { !$0.isEmpty }
        if text.utf8.contains(where: { $0 == UInt8(ascii: "#") || $0 == UInt8(ascii: "@") }) {
            var words = text.split(separator: " ").map(String.init)
            for word in words where isTag(word) {
                let tag = String(word.dropFirst().reversed().drop { ".,;:!?)".contains($0) }.reversed())
                if !tag.isEmpty, !allTags.contains(tag) { allTags.append(tag) }
            }
            while let last = words.last, isTag(last), words.count > 1 { words.removeLast() }
            text = words.joined(separator: " ")
        }
        guard !text.isEmpty else { return nil }
        return TodoItem(text: text, done: done, due: due, tags: allTags.isEmpty ? nil : allTags, children: children.isEmpty ? nil : children)
    }

    /// `#tag` or `@tag`, not a bare number (`#12` is an issue reference).
    private static func isTag(_ word: String) -> Bool {
        guard let first = word.first, first == "#" || first == "@", word.count > 1 else { return false }
        let body = word.dropFirst()
        guard let head = body.first, head.isLetter || head == "_" else { return false }
        return body.allSatisfy { $0.isLetter || $0.isNumber || "-_/.:".contains($0) }
    }

    private static let dueExpression = try! NSRegularExpression(
        pattern: #"\(?\s*(?:\b(?:due|deadline)\b\s*:?\s*|📅\s*)(\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?)\s*\)?"#,
        options: [.caseInsensitive]
    )

    /// An ISO-8601 date or date-time, with a space separator turned into `T`; `nil` when it is not one.
    static func normaliseDate(_ text: String) -> String? {
        let trimmed = Substring(text).drop { $0 == " " }
        guard trimmed.count >= 10 else { return nil }
        let date = trimmed.prefix(10)
        let digits = date.enumerated().allSatisfy { index, character in index == 4 || index == 7 ? character == "-" : character.isNumber }
        guard digits else { return nil }
        let rest = trimmed.dropFirst(10)
        if rest.isEmpty { return String(date) }
        let time = rest.drop { $0 == "T" || $0 == " " }
        guard time.count >= 5, time.prefix(5).enumerated().allSatisfy({ $1.isNumber || ($0 == 2 && $1 == ":") }) else { return String(date) }
        return "\(date)T\(time)"
    }
}
