import AgentBase
import Foundation
import Hummingbird

/// `/login` (a form whose input is named `token`; a `#token=` link fills and submits it) and `/logout`: a browser
/// session in an HttpOnly, `SameSite=Strict` cookie, for the dashboard.
struct LoginRoutes: Sendable {
    let tokens: TokenTable
    let sessions: WebSessions

    func add(to router: Router<GatewayRequestContext>) {
        router.get("/login") { _, _ in Self.loginPage(error: nil).response() }
        router.post("/login", use: login)
        router.post("/logout", use: logout)
    }

    static func loginPage(error: String?) -> WebPage {
        WebPage(title: "Log in", body: """
        <h1>Switchboard</h1>
        <form id="login" method="post" action="/login">
        <label for="token">API token</label>
        <input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
        \(error.map { HTML("<p class=\"error\" role=\"alert\">\($0)</p>") } ?? "")
        <button type="submit">Log in</button>
        </form>
        <p>Open the login link the gateway logs at start (its <code>#token=</code> fills this form), or paste a token of GATEWAY_API_TOKENS.</p>
        """, viewer: nil, scripts: ["login.js"])
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

    /// The form's body: `csrf=…`.
    private struct LogoutForm: Decodable {
        var csrf: String?
    }

    @Sendable func logout(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        if let id = WebSessions.id(in: request.headers[.cookie]) {
            let body = try await request.body.collect(upTo: 4096)
            let form = try? URLEncodedFormDecoder().decode(LogoutForm.self, from: String(buffer: body))
            try SameOrigin.require(request, session: id, formToken: form?.csrf)
            try await sessions.delete(id)
        } else {
            try SameOrigin.require(request)
        }
        return Self.redirect(to: "/login", cookie: "\(WebSessions.cookie)=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict")
    }

    private static func redirect(to location: String, cookie: String?) -> Response {
        var headers: HTTPFields = [.location: location, .cacheControl: "no-store"]
        if let cookie { headers[.setCookie] = cookie }
        return Response(status: .seeOther, headers: headers)
    }
}
