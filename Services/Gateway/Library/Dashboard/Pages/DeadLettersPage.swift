import AgentBase

/// `/dlq`: per agent its dead letters (reason, attempts, payload), a page at a time; admins replay one, replay all,
/// or delete.
enum DeadLettersPage {
    /// One agent's page of dead letters.
    struct Section {
        var agent: String
        var letters: [StreamEntry]
        var total: Int
    }

    static func body(_ sections: [Section], viewer: Viewer, after: String?) -> HTML {
        let parts = sections.map { section -> HTML in
            let agent = PageParts.path(section.agent)
            let rows = section.letters.map { letter -> [HTML] in
                var actions: [HTML] = []
                if viewer.may(.admin) {
                    actions.append(PageParts.action("Replay", url: "/v1/dlq/\(agent)/\(letter.id)/replay"))
                    actions.append(PageParts.action("Delete", method: "DELETE", url: "/v1/dlq/\(agent)/\(letter.id)", style: "danger"))
                }
                let payload = letter["payload"].map { (try? JSONValue(parsing: $0))?.prettyText ?? $0 } ?? ""
                return [
                    "<code>\(letter.id)</code>", letter["task"].map { HTML("<a href=\"/tasks/\(PageParts.path($0))\">\($0.prefix(13))</a>") } ?? "",
                    "\(letter["type"])", "\(letter[DeadLetterFields.reason])\(letter[DeadLetterFields.error].map { ": \($0)" } ?? "")",
                    "\(letter[DeadLetterFields.attempts])", "<pre>\(payload)</pre>", "<div class=\"actions\">\(actions)</div>",
                ]
            }
            let replayAll = viewer.may(.admin) && section.total > 0 ? PageParts.action("Replay all \(section.total)", url: "/v1/dlq/\(agent)/replay") : ""
            let next = section.letters.count == DeadLettersPage.pageSize ? section.letters.last.map { HTML("<a href=\"/dlq?agent=\(agent)&amp;after=\($0.id)\">Next page</a>") } ?? "" : ""
            return """
            <section class="card" aria-labelledby="h-\(section.agent)"><h2 id="h-\(section.agent)">\(section.agent) <span class="muted">· \(section.total) dead letter\(section.total == 1 ? "" : "s")</span></h2>
            <div class="actions">\(replayAll)</div>
            \(PageParts.table(["Entry", "Task", "Type", "Reason", "Attempts", "Payload", ""], rows, empty: "No dead letters."))\(next)</section>
            """
        }
        return "<h1>Dead letters</h1>\(after == nil ? "" : HTML("<p><a href=\"/dlq\">All agents</a></p>"))\(parts)"
    }

    static let pageSize = 20
}
