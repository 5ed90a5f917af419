import AgentBase
import HTTPTypes
import Hummingbird

/// A server-rendered page of the dashboard with its security headers: a Content-Security-Policy that allows only the
/// gateway's own script and style files (no inline script or style), no framing, forms posting only here, nothing cached.
struct WebPage {
    /// The sections of the navigation, by path.
    static let sections: [(path: String, title: String)] = [
        ("/", "Overview"), ("/tasks", "Tasks"), ("/chat", "Chat"), ("/agents", "Agents"), ("/workflows", "Workflows"),
        ("/schedules", "Schedules"), ("/dlq", "DLQ"), ("/costs", "Costs"), ("/approvals", "Approvals"),
    ]

    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    var title: String
    var body: HTML
    /// Who is signed in; nil on the login page (no navigation).
    var viewer: Viewer?
    /// The navigation section this page belongs to (its path).
    var section: String?
    /// Module scripts under `/assets/`.
    var scripts: [String] = ["app.js"]
    /// `data-*` attributes of `<body>` the scripts read (`live`, `task`, `run`).
    var data: [String: String] = [:]

    var html: String {
        let attributes = HTML.join(data.sorted { $0.key < $1.key }.map { " data-\($0.key)=\"\($0.value)\"" })
        let scripts = HTML.join(scripts.map { "<script type=\"module\" src=\"/assets/\($0)\"></script>" })
        let page: HTML = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(title) · Switchboard</title>\(viewer.map { HTML("<meta name=\"csrf-token\" content=\"\($0.csrf)\">") } ?? "")
        <link rel="stylesheet" href="/assets/app.css">\(scripts)</head>
        <body\(attributes)>\(header)<main\(viewer == nil ? HTML(" class=\"narrow\"") : "")>\(body)</main>\(footer)</body></html>
        """
        return page.markup
    }

    /// Where the machine-readable contracts are: the REST API's OpenAPI and the streams' AsyncAPI document.
    private var footer: HTML {
        guard viewer != nil else { return "" }
        return "<footer class=\"contracts\">Build your own client: <a href=\"/openapi.json\">REST API (OpenAPI)</a> · <a href=\"/asyncapi.json\">streams (AsyncAPI)</a></footer>"
    }

    private var header: HTML {
        guard let viewer else { return "" }
        let links = HTML.join(Self.sections.map { path, title in
            "<a href=\"\(path)\"\(path == section ? HTML(" aria-current=\"page\"") : "")>\(title)</a>"
        })
        return """
        <header class="top"><nav aria-label="Dashboard">\(links)</nav>
        <div class="who"><span>\(viewer.identity) · \(viewer.role.rawValue)</span>
        <form method="post" action="/logout"><input type="hidden" name="csrf" value="\(viewer.csrf)"><button type="submit">Log out</button></form></div>
        </header><p id="flash" class="flash" role="status" aria-live="polite"></p>
        """
    }

    func response(_ status: HTTPResponse.Status = .ok) -> Response {
        var headers: HTTPFields = [
            .contentType: "text/html; charset=utf-8", .contentSecurityPolicy: Self.contentSecurityPolicy, .cacheControl: "no-store",
            .xContentTypeOptions: "nosniff",
        ]
        // `same-origin`, not `no-referrer`: under `no-referrer` Chromium sends `Origin: null` with a form POST, which the
        // CSRF check must refuse (the login form never worked in a real browser before this).
        headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}
