import Foundation

/// Slack's text markup both ways: what a person typed, recovered from the `<…>` wrapping and the entities Slack puts
/// into message and slash-command text, and text to send, escaped so Slack shows it as written.
enum SlackText {
    /// What the person typed: links `<https://x>` and `<https://x|label>` become the address, users `<@U1>` and
    /// `<@U1|ann>` become `@U1` / `@ann`, channels `<#C1|general>` `#general`, specials `<!here>` `@here` (or their
    /// label, as in `<!subteam^S1|@team>`), and `&lt;` `&gt;` `&amp;` their characters. A `<` without its `>` stays.
    static func plain(_ text: String) -> String {
        var out = ""
        var rest = text[...]
        while let open = rest.firstIndex(of: "<"), let close = rest[open...].firstIndex(of: ">") {
            out += rest[..<open]
            out += unwrap(rest[rest.index(after: open)..<close])
            rest = rest[rest.index(after: close)...]
        }
        out += rest
        return out.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    /// The text of an `app_mention` without the mentions it starts with (the bot being addressed), as `plain` text.
    static func addressedToBot(_ text: String) -> String {
        var rest = text.drop { $0.isWhitespace }
        while rest.hasPrefix("<@"), let close = rest.firstIndex(of: ">") {
            rest = rest[rest.index(after: close)...].drop { $0.isWhitespace }
        }
        return plain(String(rest)).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `&`, `<` and `>` as the entities Slack's formatting rules ask for, so that text such as `<owner/repo>` is shown
    /// literally rather than read as link markup.
    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    private static func unwrap(_ inner: Substring) -> String {
        let parts = inner.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false)
        let target = parts[0]
        let label = parts.count > 1 ? parts[1] : nil
        switch target.first {
        case "@": return "@" + (label ?? target.dropFirst())
        case "#": return "#" + (label ?? target.dropFirst())
        case "!": return String(label ?? "@" + target.dropFirst())
        default: return target.hasPrefix("mailto:") ? String(target.dropFirst("mailto:".count)) : String(target)
        }
    }
}
