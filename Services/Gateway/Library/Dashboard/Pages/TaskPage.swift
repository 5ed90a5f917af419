import Foundation
import AgentBase

/// `/tasks/{id}`: status as a word, the timeline (live), the request's payload, the result for people (the agent's
/// own text) and as JSON, tokens and cost; cancel while it runs, replay when it failed.
enum TaskPage {
    static func body(_ task: TaskSnapshot, request: [String: String]?, viewer: Viewer) -> HTML {
        let fields = task.fields
        let ended = task.status?.isTerminal ?? false
        var actions: [HTML] = []
        if viewer.may(.write) {
            if !ended { actions.append(PageParts.action("Cancel", url: "/v1/tasks/\(PageParts.path(task.id))/cancel", then: "none", style: "danger", id: "cancel")) }
            actions.append(PageParts.action("Replay", url: "/v1/tasks/\(PageParts.path(task.id))/replay", then: "task", id: "replay", hidden: task.status != .failed))
        }
        let timeline = HTML.join([("created_at", "queued"), ("started_at", "started"), ("finished_at", "ended")].compactMap { name, label in
            fields[name].map { "<li>\(PageParts.time($0)) \(label)</li>" }
        })
        let payload = request?["payload"].map { (try? JSONValue(parsing: $0))?.prettyText ?? $0 }
        let result = fields["result"].map { (try? JSONValue(parsing: $0))?.prettyText ?? $0 }
        let details: [(String, String?)] = [
            ("Agent", fields["agent"]), ("Type", fields["type"]), ("Source", fields["source"]), ("Conversation", fields["conversation"]),
            ("Attempts", fields["attempts"]), ("Tokens in", fields["tokens_in"]), ("Tokens out", fields["tokens_out"]),
            ("Cost", fields["cost_usd"].flatMap(Double.init).map(PageParts.dollars)), ("Error", fields["error"]), ("Progress", fields["progress"]),
        ]
        let rows = HTML.join(details.compactMap { name, value in value.map { "<tr><th scope=\"row\">\(name)</th><td>\($0)</td></tr>" } })
        return """
        <h1>Task <code>\(task.id)</code> \(PageParts.status(fields["status"]).withID("task-status"))</h1>
        <div class="actions">\(actions)</div>
        <div class="grid">
        <section class="card" aria-labelledby="h-details"><h2 id="h-details">Details</h2><table>\(rows)</table></section>
        <section class="card" aria-labelledby="h-timeline"><h2 id="h-timeline">Timeline</h2><ol id="timeline" class="timeline">\(timeline)</ol></section>
        </div>
        <section class="card" aria-labelledby="h-result"><h2 id="h-result">Result</h2><pre id="result-text">\(fields["text"] ?? (ended ? fields["error"] ?? "" : "Not finished yet."))</pre>
        \(result.map { HTML("<details><summary>Result as JSON</summary><pre id=\"result-json\">\($0)</pre></details>") } ?? "")</section>
        <section class="card" aria-labelledby="h-payload"><h2 id="h-payload">Request</h2>\(payload.map { HTML("<pre id=\"payload\">\($0)</pre>") } ?? "<p class=\"muted\">The request is no longer on the agent's stream.</p>")</section>
        """
    }
}
