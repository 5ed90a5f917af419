import AgentBase
import Foundation

/// Reads the Claude Code CLI's `--output-format stream-json` lines: `system` (session start), `assistant`
/// (a message with text and tool_use blocks), and the final `result` with the answer, usage and cost.
struct ClaudeStreamJSON {
    /// What one run printed, read line by line.
    struct Run {
        var events: [ModelEvent] = []
        var result: String?
        var isError = false
        var tokensIn = 0
        var tokensOut = 0
        var costUSD: Double?
        var model: String?
    }

    static func read(_ output: String) -> Run {
        var run = Run()
        for line in output.split(whereSeparator: \.isNewline) {
            guard let json = try? JSONValue(parsing: String(line)) else { continue }
            switch json["type"]?.stringValue {
            case "system":
                if let model = json["model"]?.stringValue { run.model = model }
                run.events.append(.status("claude: \(json["subtype"]?.stringValue ?? "system")\(run.model.map { " (\($0))" } ?? "")"))
            case "assistant":
                let message = json["message"]
                if let model = message?["model"]?.stringValue { run.model = model }
                for block in message?["content"]?.arrayValue ?? [] {
                    switch block["type"]?.stringValue {
                    case "text": run.events.append(.text(block["text"]?.stringValue ?? ""))
                    case "tool_use": run.events.append(.toolUse(name: block["name"]?.stringValue ?? "tool"))
                    default: break
                    }
                }
            case "result":
                run.result = json["result"]?.stringValue
                run.isError = json["is_error"]?.boolValue ?? (json["subtype"]?.stringValue != "success")
                run.tokensIn = AnthropicWire.inputTokens(json["usage"])
                run.tokensOut = json["usage"]?["output_tokens"]?.intValue ?? 0
                run.costUSD = json["total_cost_usd"]?.doubleValue
            default:
                break
            }
        }
        return run
    }
}
