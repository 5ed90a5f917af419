import AgentBase
import Foundation

/// The model's answer to a `ReviewPrompt`, read leniently: a Markdown code fence or text around the JSON object is
/// ignored, severities are matched loosely, and findings on paths or lines that are not in the chunk are dropped.
public struct ModelAnswer: Sendable, Hashable {
    public var summary: String
    /// Findings with rule `llm` and source `.model`.
    public var findings: [ReviewFinding]
    /// How many findings were dropped: not on a line of the chunk, or missing a path or message.
    public var dropped: Int

    public init(summary: String, findings: [ReviewFinding], dropped: Int = 0) {
        self.summary = summary
        self.findings = findings
        self.dropped = dropped
    }

    /// Parses the model's reply for `chunk`.
    public static func parse(_ reply: String, chunk: DiffChunk) throws(ModelAnswerError) -> ModelAnswer {
        guard let open = reply.firstIndex(of: "{"), let close = reply.lastIndex(of: "}"), open < close,
              let json = try? JSONValue(parsing: String(reply[open...close])), json.objectValue != nil else {
            throw ModelAnswerError(reply: reply)
        }
        var answer = ModelAnswer(summary: json["summary"]?.stringValue ?? "", findings: [])
        for item in json["findings"]?.arrayValue ?? [] {
            if let finding = finding(item, chunk: chunk) { answer.findings.append(finding) } else { answer.dropped += 1 }
        }
        return answer
    }

    private static func finding(_ item: JSONValue, chunk: DiffChunk) -> ReviewFinding? {
        guard let rawPath = item["path"]?.stringValue, let path = knownPath(rawPath, in: chunk),
              let message = item["message"]?.stringValue?.trimmingCharacters(in: .whitespacesAndNewlines), !message.isEmpty else { return nil }
        let line = item["line"]?.intValue ?? item["line"]?.stringValue.flatMap { Int($0) }
        if let line, chunk.lines[path]?.contains(line) != true { return nil }
        // A replacement for the line (asked for by /improve) becomes the finding's suggestion.
        let replacement = line == nil ? nil : item["replacement"]?.stringValue.map { $0.trimmingCharacters(in: .newlines) }
        return ReviewFinding(path: path, line: line, severity: severity(item["severity"]?.stringValue), rule: ReviewFinding.modelRule, message: message, source: .model, suggestion: replacement)
    }

    /// The chunk's path the model meant, allowing for `a/`, `b/` or `./` in front.
    private static func knownPath(_ path: String, in chunk: DiffChunk) -> String? {
        let trimmed = path.trimmingCharacters(in: .whitespaces)
        let candidates = [trimmed] + ["a/", "b/", "./"].compactMap { trimmed.hasPrefix($0) ? String(trimmed.dropFirst($0.count)) : nil }
        return candidates.first { chunk.lines[$0] != nil }
    }

    private static func severity(_ text: String?) -> Severity {
        switch text?.lowercased() {
        case "error", "critical", "high", "blocker", "major": .error
        case "info", "low", "minor", "nit", "note", "suggestion": .info
        default: .warning
        }
    }
}

/// A model reply that holds no JSON object; carries the start of the reply so the cause can be seen.
public struct ModelAnswerError: Error, Sendable, Hashable, CustomStringConvertible {
    public var reply: String

    public var description: String {
        "the model's reply is not the JSON object asked for ({summary, findings}); it starts: \(reply.prefix(200))"
    }
}
