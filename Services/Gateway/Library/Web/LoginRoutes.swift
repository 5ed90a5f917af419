import AgentBase
import Foundation
import Hummingbird

/// `/login` (a form whose input is named `token`; a `#token=` link fills and submits it), `/logout`, and `/`, which
/// for now says who is signed in: a browser session in an HttpOnly, `SameSite=Strict` cookie, for the dashboard.
struct LoginRoutes: Sendable {
    let tokens: TokenTable
    let sessions: WebSessions

    func add(to router: Router<GatewayRequestContext>) {
        router.get("/login") { _, _ in Self.loginPage(error: nil).response() }
        router.post("/login", use: login)
        router.post("/logout", use: logout)
        router.get("/", use: home)
    }

    static func loginPage(error: String?) -> WebPage {
        WebPage(title: "Log in", body: """
        <h1>Switchboard</h1>
        <form id="login" method="post" action="/login">
        <label for="token">API token</label>
        <input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
        \(error.map { #"<p class="error" role="alert">\#(WebPage.escape($0))</p>"# } ?? "")
        <button type="submit">Log in</button>
        </form>
        <p>Open the login link the gateway logs at start, or paste a token of GATEWAY_API_TOKENS.</p>
        """, script: WebPage.loginScript)
    }

    /// The form's body: `token=…`.
    private struct LoginForm: Decodable {
        var token: String
    }

    @Sendable func login(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        try SameOrigin.require(request)
        let body = try await request.body.collect(upTo: 4096)
        guard let form = try? URLEncodedFormDecoder().decode(LoginForm.self, from: String(buffer: body)), !form.token.isEmpty else {
            return Self.loginPage(error: "Enter a token.").response(.badRequest)
        }
        guard let client = tokens.client(presenting: form.token.trimmingCharacters(in: .whitespaces)) else {
            return Self.loginPage(error: "That token is not valid.").response(.unauthorized)
        }
        let id = try await sessions.create(client: client)
        return Self.redirect(to: "/", cookie: "\(WebSessions.cookie)=\(id); Path=/; Max-Age=\(WebSessions.lifetime.components.seconds); HttpOnly; SameSite=Strict")
    }

    @Sendable func logout(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        try SameOrigin.require(request)
        if let id = WebSessions.id(in: request.headers[.cookie]) { try await sessions.delete(id) }
        return Self.redirect(to: "/login", cookie: "\(WebSessions.cookie)=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict")
    }

    /// Who is signed in, and a way out; without a session, a redirect to `/login`.
    @Sendable func home(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        guard let id = WebSessions.id(in: request.headers[.cookie]), let client = try await sessions.client(of: id), tokens.contains(client: client) else {
            return Self.redirect(to: "/login", cookie: nil)
        }
        return WebPage(title: "Switchboard", body: """
        <h1>Switchboard</h1>
        <p>Signed in as <strong>\(WebPage.escape(client))</strong>. The REST API is described at <a href="/openapi.json">/openapi.json</a>.</p>
        <form method="post" action="/logout"><button type="submit">Log out</button></form>
        """, script: nil).response()
    }

    private static func redirect(to location: String, cookie: String?) -> Response {
        var headers: HTTPFields = [.location: location, .cacheControl: "no-store"]
        if let cookie { headers[.setCookie] = cookie }
        return Response(status: .seeOther, headers: headers)
    }
}
