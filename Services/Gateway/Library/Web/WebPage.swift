import Crypto
import Foundation
import HTTPTypes
import Hummingbird

/// A small server-rendered HTML page of the gateway with its security headers: a Content-Security-Policy that allows
/// only the page's own inline script and style (by hash), no framing, forms posting only here, nothing cached.
struct WebPage {
    static let style = """
    body{font:16px system-ui,sans-serif;margin:0;padding:2rem 1rem;background:#f6f7f9;color:#1b1f24}\
    main{max-width:26rem;margin:auto;background:#fff;padding:1.5rem;border-radius:8px;box-shadow:0 1px 3px #0002}\
    label,input,button{display:block;width:100%;box-sizing:border-box;margin:.4rem 0}\
    input,button{padding:.6rem;font:inherit}.error{color:#a4000f;font-weight:600}
    """

    /// Fills the login form from a `#token=` link and submits it, then takes the token out of the address bar.
    static let loginScript = """
    const m = location.hash.match(/^#token=([A-Za-z0-9_-]+)$/);
    if (m) { history.replaceState(null, "", location.pathname); const f = document.getElementById("login"); f.elements.token.value = m[1]; f.submit(); }
    """

    var title: String
    var body: String
    var script: String?

    var html: String {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(Self.escape(title)) · Switchboard</title><style>\(Self.style)</style></head>
        <body><main>\(body)</main>\(script.map { "<script>\($0)</script>" } ?? "")</body></html>
        """
    }

    /// `default-src 'none'`; the inline style and script only by their SHA-256.
    var contentSecurityPolicy: String {
        let scripts = script.map { "'\(Self.hash($0))'" } ?? "'none'"
        return "default-src 'none'; script-src \(scripts); style-src '\(Self.hash(Self.style))'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    }

    func response(_ status: HTTPResponse.Status = .ok) -> Response {
        var headers: HTTPFields = [
            .contentType: "text/html; charset=utf-8", .contentSecurityPolicy: contentSecurityPolicy, .cacheControl: "no-store",
            .xContentTypeOptions: "nosniff",
        ]
        headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    private static func hash(_ text: String) -> String {
        "sha256-" + Data(SHA256.hash(data: Data(text.utf8))).base64EncodedString()
    }
}
