import AgentBase
import Foundation

/// Finds todo items in Markdown or plain text: `- [ ]` / `- [x]` checklists (any bullet or number, nesting by
/// indentation), else the bullets under a heading that reads like a todo section (`~~struck~~` means done).
struct MarkdownExtractor {
    let text: String

    private struct Line {
        var indent: Int
        var text: String
        var done: Bool
    }

    func items() -> [TodoItem] {
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        let checklist = lines.compactMap(Self.checklistLine)
        if !checklist.isEmpty { return Self.nest(checklist[...]) }
        var section: [Line] = []
        var inTodo = false
        for line in lines {
            if let heading = Self.heading(line) {
                inTodo = HTMLExtractor.looksLikeTodo(heading)
            } else if inTodo, let bullet = Self.bulletLine(line) {
                section.append(bullet)
            }
        }
        return Self.nest(section[...])
    }

    private static let checkbox = try! NSRegularExpression(pattern: #"^(\s*)(?:[-*+]|\d+[.)])\s+\[([ xX])\]\s+(.+)$"#)
    private static let bullet = try! NSRegularExpression(pattern: #"^(\s*)(?:[-*+]|\d+[.)])\s+(.+)$"#)

    private static func checklistLine(_ line: String) -> Line? {
        guard let groups = match(checkbox, line) else { return nil }
        return Line(indent: width(groups[0]), text: inline(groups[2]), done: groups[1] != " ")
    }

    private static func bulletLine(_ line: String) -> Line? {
        guard let groups = match(bullet, line) else { return nil }
        var text = groups[1].trimmingCharacters(in: .whitespaces)
        let struck = text.hasPrefix("~~") && text.hasSuffix("~~") && text.count > 4
        if struck { text = String(text.dropFirst(2).dropLast(2)) }
        return Line(indent: width(groups[0]), text: inline(text), done: struck)
    }

    private static func heading(_ line: String) -> String? {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("#") else { return nil }
        let text = trimmed.drop { $0 == "#" }
        guard text.first == " " else { return nil }
        return String(text)
    }

    private static func match(_ expression: NSRegularExpression, _ line: String) -> [String]? {
        guard let result = expression.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)) else { return nil }
        return (1..<result.numberOfRanges).map { index in Range(result.range(at: index), in: line).map { String(line[$0]) } ?? "" }
    }

    /// Indentation width with tabs as four columns.
    private static func width(_ indent: String) -> Int {
        indent.reduce(0) { $0 + ($1 == "\t" ? 4 : 1) }
    }

    private static let link = try! NSRegularExpression(pattern: #"!?\[([^\]]*)\]\([^)]*\)"#)

    /// Inline Markdown reduced to its text: links to their label, emphasis and code markers dropped.
    private static func inline(_ text: String) -> String {
        let linked = link.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: "$1")
        return linked.replacingOccurrences(of: "**", with: "").replacingOccurrences(of: "__", with: "").replacingOccurrences(of: "`", with: "")
    }

    /// Lines to a tree: a line indented deeper than the one before is its child.
    private static func nest(_ lines: ArraySlice<Line>) -> [TodoItem] {
        var items: [TodoItem] = []
        var index = lines.startIndex
        while index < lines.endIndex {
            let line = lines[index]
            var end = index + 1
            while end < lines.endIndex, lines[end].indent > line.indent { end += 1 }
            let children = nest(lines[(index + 1)..<end])
            if let item = ItemText.item(line.text, done: line.done, children: children) { items.append(item) }
            index = end
        }
        return items
    }
}
