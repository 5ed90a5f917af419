import AgentBase
import Foundation

/// Reads the Claude Code CLI's `--output-format stream-json` lines as they come: `system` (session start),
/// `assistant` (a message with text and tool_use blocks), and the final `result` with the answer, usage and cost.
struct ClaudeStreamJSON {
    var result: String?
    var isError = false
    var tokensIn = 0
    var tokensOut = 0
    var costUSD: Double?
    var model: String?
    /// The CLI's session id (`session_id` of its lines), for `--resume`.
    var sessionID: String?

    /// Takes one line; returns the events it tells of. Lines that are not JSON are skipped.
    mutating func take(_ line: String) -> [ModelEvent] {
        guard let json = try? JSONValue(parsing: line) else { return [] }
        if let id = json["session_id"]?.stringValue { sessionID = id }
        switch json["type"]?.stringValue {
        case "system":
            if let model = json["model"]?.stringValue { self.model = model }
            return [.status("claude: \(json["subtype"]?.stringValue ?? "system")\(model.map { " (\($0))" } ?? "")")]
        case "assistant":
            let message = json["message"]
            if let model = message?["model"]?.stringValue { self.model = model }
            return (message?["content"]?.arrayValue ?? []).compactMap { block in
                switch block["type"]?.stringValue {
                case "text": return .text(block["text"]?.stringValue ?? "")
                case "tool_use": return .toolUse(name: block["name"]?.stringValue ?? "tool")
                default: return nil
                }
            }
        case "result":
            result = json["result"]?.stringValue
            isError = json["is_error"]?.boolValue ?? (json["subtype"]?.stringValue != "success")
            tokensIn = AnthropicWire.inputTokens(json["usage"])
            tokensOut = json["usage"]?["output_tokens"]?.intValue ?? 0
            costUSD = json["total_cost_usd"]?.doubleValue
            return []
        default:
            return []
        }
    }
}
