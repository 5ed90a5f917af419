import AgentBase
import Foundation

/// Pieces every dashboard page uses: status words, tables, action buttons, pagers, money and SVG bar charts.
enum PageParts {
    /// A task's status as a word (and a colour), updated live by the page's script through `data-task-status`.
    static func status(_ status: String?, task: String? = nil) -> HTML {
        let word = (status ?? "unknown").lowercased()
        return "<span class=\"status \(word)\"\(task.map { HTML(" data-task-status=\"\($0)\"") } ?? "")>\(word)</span>"
    }

    /// A table with a header row; cells are markup built by the caller.
    static func table(_ headers: [String], _ rows: [[HTML]], empty: String = "Nothing here.") -> HTML {
        guard !rows.isEmpty else { return "<p class=\"muted\">\(empty)</p>" }
        let head = HTML.join(headers.map { "<th scope=\"col\">\($0)</th>" })
        let body = HTML.join(rows.map { row in "<tr>\(HTML.join(row.map { "<td>\($0)</td>" }))</tr>" })
        return "<div class=\"table-wrap\"><table><thead><tr>\(head)</tr></thead><tbody>\(body)</tbody></table></div>"
    }

    /// A button that calls the JSON API (see app.js): `then` is `reload` or `task` (go to the task it answers with).
    static func action(_ label: String, method: String = "POST", url: String, body: JSONValue? = nil, then: String = "reload", style: String = "", id: String? = nil, hidden: Bool = false) -> HTML {
        var attributes: HTML = "type=\"button\" data-method=\"\(method)\" data-url=\"\(url)\" data-then=\"\(then)\""
        if let body { attributes = "\(attributes) data-body=\"\(body.jsonString)\"" }
        if !style.isEmpty { attributes = "\(attributes) class=\"\(style)\"" }
        if let id { attributes = "\(attributes) id=\"\(id)\"" }
        if hidden { attributes = "\(attributes) hidden" }
        return "<button \(attributes)>\(label)</button>"
    }

    /// Rows of tasks, each linking to its page.
    static func taskRows(_ tasks: [TaskSnapshot]) -> [[HTML]] {
        tasks.map { task in
            [
                "<a href=\"/tasks/\(path(task.id))\">\(task.id.prefix(13))</a>", status(task.fields["status"], task: task.id),
                "\(task.fields["agent"])", "\(task.fields["type"])", "\(task.fields["source"])", time(task.fields["created_at"]),
                "\(task.fields["cost_usd"].flatMap(Double.init).map(dollars) ?? "")",
            ]
        }
    }

    static let taskHeaders = ["Task", "Status", "Agent", "Type", "Source", "Created", "Cost"]

    /// A `<time>` of an ISO-8601 text.
    static func time(_ iso: String?) -> HTML {
        guard let iso else { return "" }
        return "<time datetime=\"\(iso)\">\(iso.replacingOccurrences(of: "T", with: " ").prefix(19))</time>"
    }

    static func dollars(_ value: Double) -> String {
        value == 0 ? "$0" : value < 0.01 ? String(format: "$%.4f", value) : String(format: "$%.2f", value)
    }

    /// A path segment, percent-encoded.
    static func path(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?#"))) ?? text
    }

    /// A query string of the items, percent-encoded.
    static func query(_ items: [(String, String)]) -> String {
        var components = URLComponents()
        components.queryItems = items.map { URLQueryItem(name: $0.0, value: $0.1) }
        return components.percentEncodedQuery ?? ""
    }

    /// "Next page" when there is one (`after` carries the cursor), and a way back to the first.
    static func pager(_ base: String, items: [(String, String)], next: String?, isFirst: Bool) -> HTML {
        let first = isFirst ? HTML("") : "<a href=\"\(base)?\(query(items))\">First page</a>"
        let nextLink = next.map { HTML("<a href=\"\(base)?\(query(items + [("after", $0)]))\" rel=\"next\">Next page</a>") } ?? ""
        return "<nav class=\"pager\" aria-label=\"Pages\">\(first)\(nextLink)</nav>"
    }

    /// A horizontal bar chart in SVG: one bar per line, the value written beside it; `limit` draws a dashed line.
    static func barChart(_ lines: [(label: String, value: Double, text: String)], title: String, limit: Double? = nil) -> HTML {
        guard !lines.isEmpty else { return "<p class=\"muted\">No \(title.lowercased()) yet.</p>" }
        let width = 640.0
        let labelWidth = 170.0
        let barArea = width - labelWidth - 200
        let scale = max(lines.map(\.value).max() ?? 0, limit ?? 0, 1e-9)
        let height = Double(lines.count) * 24 + 10
        let bars = HTML.join(lines.enumerated().map { offset, line in
            let y = Double(offset) * 24 + 5
            let length = max(1, line.value / scale * barArea)
            return """
            <text x="0" y="\(y + 14)">\(String(line.label.prefix(26)))</text>\
            <rect x="\(labelWidth)" y="\(y + 2)" width="\(String(format: "%.1f", length))" height="16" fill="#0b57d0"></rect>\
            <text x="\(labelWidth + length + 6)" y="\(y + 14)">\(line.text)</text>
            """
        })
        let limitLine = limit.map { limit -> HTML in
            let x = String(format: "%.1f", labelWidth + limit / scale * barArea)
            return "<line x1=\"\(x)\" x2=\"\(x)\" y1=\"0\" y2=\"\(height)\" stroke=\"#a4000f\" stroke-dasharray=\"4 3\"></line>"
        } ?? ""
        return """
        <svg role="img" aria-label="\(title)" viewBox="0 0 \(width) \(height)" width="\(width)" height="\(height)"><title>\(title)</title>\(bars)\(limitLine)</svg>
        """
    }
}
