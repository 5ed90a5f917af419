import AgentBase

/// `/approvals`: requests waiting for an admin, with approve and deny for admins; an empty list when there are none.
enum ApprovalsPage {
    static func body(_ approvals: [Approval], viewer: Viewer) -> HTML {
        let rows = approvals.map { approval -> [HTML] in
            let url = "/v1/approvals/\(PageParts.path(approval.id))"
            let actions: HTML = viewer.may(.admin)
                ? "<div class=\"actions\">\(PageParts.action("Approve", url: url, body: ["decision": "approve"]))\(PageParts.action("Deny", url: url, body: ["decision": "deny"], style: "danger"))</div>"
                : "<span class=\"muted\">an admin decides</span>"
            return [
                "<code>\(approval.id)</code>", "\(approval.requester)", "<code>\(approval.command)</code>", "\(approval.type) → \(approval.agent)",
                "<pre>\((try? JSONValue(parsing: approval.payload))?.prettyText ?? approval.payload)</pre>", PageParts.time(ISO8601.string(approval.expiresAt)), actions,
            ]
        }
        return """
        <h1>Approvals</h1>
        <p class="muted">Destructive requests wait here for an admin (and in the chat they came from).</p>
        \(PageParts.table(["Id", "Requester", "Command", "Message", "Payload", "Expires", ""], rows, empty: "No approvals are waiting."))
        """
    }
}
