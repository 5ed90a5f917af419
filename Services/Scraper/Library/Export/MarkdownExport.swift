import AgentBase
import Foundation

/// Renders items as a Markdown checklist: `- [ ] text (due …) #tag`, nested items indented two spaces.
public enum MarkdownExport {
    /// The items as a JSON document (for `format: json` exports): pretty-printed, keys sorted, a newline at the end.
    public static func json(_ items: [TodoItem]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(items), as: UTF8.self) + "\n"
    }

    public static func render(_ items: [TodoItem]) -> String {
        var output = ""
        append(items, depth: 0, to: &output)
        return output
    }

    private static func append(_ items: [TodoItem], depth: Int, to output: inout String) {
        for item in items {
            output += String(repeating: "  ", count: depth) + (item.done ? "- [x] " : "- [ ] ") + item.text
            if let due = item.due { output += " (due \(due))" }
            for tag in item.tags ?? [] where !item.text.contains("#\(tag)") && !item.text.contains("@\(tag)") {
                output += " #\(tag.replacingOccurrences(of: " ", with: "-"))"
            }
            output += "\n"
            append(item.children ?? [], depth: depth + 1, to: &output)
        }
    }
}
