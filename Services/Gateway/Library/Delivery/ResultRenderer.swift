import AgentBase

/// Turns task events into text for people: progress lines, errors in plain words, and results as their agent says
/// them (the event's `text`, see `ReadableResult`) — the gateway knows no agent's result type. A result without
/// `text` is shown as an outline of its fields.
public enum ResultRenderer {
    public static func render(_ event: TaskEvent) -> String {
        let payload = (try? JSONValue(parsing: event.payload)) ?? .null
        switch event.type {
        case "task.progress":
            let percent = payload["percent"]?.doubleValue.map { " (\(Int($0))%)" } ?? ""
            return "⏳ \(payload["message"]?.stringValue ?? "working")\(percent)"
        case "task.failed":
            return "❌ Failed: \(payload["reason"]?.stringValue ?? "unknown error")"
        case "task.cancelled":
            return "🛑 Cancelled."
        case "task.completed":
            return event.text ?? outline(payload)
        default:
            return event.type
        }
    }

    /// A result's fields one per line (lists as their first items), for agents that do not say their result in words.
    static func outline(_ result: JSONValue) -> String {
        guard case .object(let members) = result, !members.isEmpty else {
            return result.isNull ? "✅ Done." : "✅ Done.\n\(clipped(result.jsonString))"
        }
        var lines = ["✅ Done."]
        for (key, value) in members.sorted(by: { $0.key < $1.key }) {
            switch value {
            case .null:
                continue
            case .array(let elements):
                lines.append("\(key): \(elements.count) \(elements.count == 1 ? "item" : "items")")
                lines += elements.prefix(outlineItems).map { "- \(clipped(scalarText($0)))" }
                if elements.count > outlineItems { lines.append("- … and \(elements.count - outlineItems) more") }
            default:
                lines.append("\(key): \(clipped(scalarText(value)))")
            }
        }
        return lines.joined(separator: "\n")
    }

    private static let outlineItems = 10

    private static func scalarText(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): return text
        case .bool(let flag): return flag ? "yes" : "no"
        default: return value.jsonString
        }
    }

    private static func clipped(_ text: String, limit: Int = 300) -> String {
        text.count > limit ? String(text.prefix(limit - 1)) + "…" : text
    }

    /// Splits text into chunks of at most `limit` characters, at line breaks where possible.
    public static func split(_ text: String, limit: Int) -> [String] {
        guard text.count > limit else { return [text] }
        var chunks: [String] = []
        var current = ""
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = String(line)
            while line.count > limit {
                if !current.isEmpty { chunks.append(current); current = "" }
                chunks.append(String(line.prefix(limit)))
                line = String(line.dropFirst(limit))
            }
            if current.count + line.count + (current.isEmpty ? 0 : 1) > limit {
                chunks.append(current)
                current = line
            } else {
                current += current.isEmpty ? line : "\n" + line
            }
        }
        if !current.isEmpty { chunks.append(current) }
        return chunks
    }
}
