import AgentBase
import Foundation

/// Turns task events into text for people: progress lines, results by message type, errors in plain words.
public enum ResultRenderer {
    public static func render(_ event: TaskEvent, type: String?) -> String {
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
            return completed(payload, type: type)
        default:
            return event.type
        }
    }

    static func completed(_ result: JSONValue, type: String?) -> String {
        switch type {
        case ChatMessageRequest.type?:
            let reply = result["reply"]?.stringValue ?? result.jsonString
            guard let command = result["suggested_command"]?.stringValue, !reply.contains(command) else { return reply }
            return "\(reply)\n\nTry: \(command)"
        case TodosScrapeRequest.type?:
            return todos(result)
        case PRReviewRequest.type?:
            let findings = result["findings"]?.arrayValue ?? []
            var lines = ["✅ Review: \(result["summary"]?.stringValue ?? "done")"]
            lines += findings.prefix(20).map {
                "- \($0["severity"]?.stringValue ?? "info") \($0["path"]?.stringValue ?? "")\($0["line"]?.intValue.map { ":\($0)" } ?? ""): \($0["message"]?.stringValue ?? "")"
            }
            if findings.count > 20 { lines.append("… and \(findings.count - 20) more") }
            if let url = result["review_url"]?.stringValue { lines.append(url) }
            return lines.joined(separator: "\n")
        case CodeWriteRequest.type?:
            var lines = ["✅ Branch \(result["branch"]?.stringValue ?? "?") at \(result["commit"]?.stringValue?.prefix(12) ?? "?")"]
            if let passed = result["tests"]?["passed"]?.boolValue { lines.append(passed ? "Tests passed." : "Tests failed.") }
            if let url = result["pr_url"]?.stringValue { lines.append("Pull request: \(url)") }
            if let note = result["note"]?.stringValue { lines.append("⚠️ \(note)") }
            return lines.joined(separator: "\n")
        case WorkflowRunRequest.type?:
            let steps = (result["steps"]?.arrayValue ?? []).map { "\($0["name"]?.stringValue ?? "?") (\($0["status"]?.stringValue ?? "?"))" }
            var lines = ["✅ Workflow \(result["workflow"]?.stringValue ?? "?"): \(steps.joined(separator: " → "))"]
            if let output = result["output"], !output.isNull { lines.append(output.jsonString) }
            return lines.joined(separator: "\n")
        case let type? where type.hasPrefix("repo."):
            return RepoResultRenderer.render(result, type: type) ?? "✅ Done.\n\(result.jsonString)"
        default:
            return "✅ Done.\n\(result.jsonString)"
        }
    }

    /// A scrape for chat: the count, what changed since the last `/sync-todos` of the page, then the checklist.
    static func todos(_ result: JSONValue) -> String {
        let items = result["items"]?.arrayValue ?? []
        let done = items.filter { $0["done"]?.boolValue == true }.count
        var lines = ["✅ \(items.count) items from \(result["source_url"]?.stringValue ?? "the page") (\(done) done)"]
        if let changes = result["changes"] {
            let since = changes["since"]?.stringValue ?? "last time"
            let groups = [("➕ New", "added"), ("☑️ Completed", "completed"), ("↩️ Reopened", "reopened"), ("➖ Gone", "removed")].compactMap { label, key -> String? in
                let texts = changes[key]?.arrayValue?.compactMap(\.stringValue) ?? []
                return texts.isEmpty ? nil : "\(label): \(texts.joined(separator: "; "))"
            }
            lines.append(groups.isEmpty ? "No changes since \(since)." : "Changes since \(since):")
            lines += groups
        }
        if let markdown = result["markdown"]?.stringValue {
            lines.append(markdown)
        } else {
            lines += items.map { "- [\($0["done"]?.boolValue == true ? "x" : " ")] \($0["text"]?.stringValue ?? "")" }
        }
        return lines.joined(separator: "\n")
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
