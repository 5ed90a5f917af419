import AgentBase
import Foundation
@testable import Gateway
import Hummingbird
import HummingbirdTesting
import NIOFoundationEssentialsCompat
import Testing

/// `/login`, `/logout` and the browser session over real HTTP: the form, the cookie's flags, CSRF by `Origin` and the
/// session's token, the Content-Security-Policy, and the JSON API's 401 without a token or a session.
@Suite(.serialized)
struct LoginTests {
    typealias Fixture = GatewayAPITests.Fixture

    static func form(_ token: String) -> ByteBuffer {
        ByteBuffer(string: "token=" + (token.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
    }

    /// A form post as a browser on this site sends it (the test client's `Host` is `localhost`).
    static func headers(origin: String = "http://localhost", cookie: String? = nil) -> HTTPFields {
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded", .origin: origin]
        if let cookie { headers[.cookie] = cookie }
        return headers
    }

    @Test("GET /login: the form with an input named token, the #token= script file, and a strict CSP allowing only the gateway's own files")
    func loginForm() async throws {
        let fixture = try Fixture()
        try await fixture.gateway.makeApplication().test(.live) { client in
            let response = try await client.execute(uri: "/login", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/html; charset=utf-8")
            let html = String(buffer: response.body)
            #expect(html.contains(#"<form id="login" method="post" action="/login">"#))
            #expect(html.contains(#"name="token""#))
            #expect(html.contains(#"<script type="module" src="/assets/login.js"></script>"#))
            #expect(!html.contains("<script>") && !html.contains("<style>"))
            let script = try await client.execute(uri: "/assets/login.js", method: .get)
            #expect(String(buffer: script.body).contains("#token="))
            #expect(script.headers[.contentType] == "text/javascript; charset=utf-8")
            let csp = try #require(response.headers[.contentSecurityPolicy])
            #expect(csp.hasPrefix("default-src 'none'; script-src 'self'; style-src 'self'"))
            #expect(csp.contains("frame-ancestors 'none'") && csp.contains("form-action 'self'") && !csp.contains("unsafe"))
            #expect(response.headers[.cacheControl] == "no-store")
            // Without a session, the home page sends the browser to the form.
            let home = try await client.execute(uri: "/", method: .get)
            #expect(home.status == .seeOther)
            #expect(home.headers[.location] == "/login")
        }
    }

    @Test("POST /login: a wrong token gets the form again with an error (401); the right one an HttpOnly, SameSite=Strict session")
    func loginAndLogout() async throws {
        let fixture = try Fixture()
        try await fixture.gateway.makeApplication().test(.live) { client in
            let wrong = try await client.execute(uri: "/login", method: .post, headers: Self.headers(), body: Self.form("not-the-token-at-all"))
            #expect(wrong.status == .unauthorized)
            #expect(wrong.headers[.setCookie] == nil)
            #expect(String(buffer: wrong.body).contains("That token is not valid."))
            #expect(String(buffer: wrong.body).contains(#"name="token""#))
            let empty = try await client.execute(uri: "/login", method: .post, headers: Self.headers(), body: ByteBuffer(string: "other=1"))
            #expect(empty.status == .badRequest)

            let right = try await client.execute(uri: "/login", method: .post, headers: Self.headers(), body: Self.form(GatewayAPITests.token))
            #expect(right.status == .seeOther)
            #expect(right.headers[.location] == "/")
            let setCookie = try #require(right.headers[.setCookie])
            let attributes = Set(setCookie.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) })
            #expect(attributes.isSuperset(of: ["Path=/", "HttpOnly", "SameSite=Strict"]), "\(setCookie)")
            #expect(!setCookie.contains(GatewayAPITests.token))
            let cookie = String(setCookie.prefix { $0 != ";" })
            #expect(cookie.hasPrefix("sb_session=") && cookie.count > 40)

            let home = try await client.execute(uri: "/", method: .get, headers: [.cookie: cookie])
            #expect(home.status == .ok)
            let page = String(buffer: home.body)
            #expect(page.contains("<span>web:ci · admin</span>"))
            let csrf = try #require(page.firstMatch(of: /<meta name="csrf-token" content="([0-9a-f]{64})">/)).1
            // The session opens the JSON API too; a state-changing request with it must come from this site.
            #expect(try await client.execute(uri: "/v1/agents", method: .get, headers: [.cookie: cookie]).status == .ok)
            let crossSite = try await client.execute(
                uri: "/v1/messages", method: .post, headers: Self.headers(origin: "https://evil.example", cookie: cookie),
                body: ByteBuffer(string: GatewayAPITests.scrape)
            )
            #expect(crossSite.status == .forbidden)
            #expect(try GatewayAPITests.json(crossSite.body)["error"]?.stringValue == "csrf")
            var sameSite = Self.headers(cookie: cookie)
            sameSite[.contentType] = "application/json"
            // From this site but without the page's CSRF token: refused too.
            let noToken = try await client.execute(uri: "/v1/messages", method: .post, headers: sameSite, body: ByteBuffer(string: GatewayAPITests.scrape))
            #expect(noToken.status == .forbidden)
            #expect(try GatewayAPITests.json(noToken.body)["error"]?.stringValue == "csrf")
            sameSite[SameOrigin.header] = String(csrf)
            let published = try await client.execute(uri: "/v1/messages", method: .post, headers: sameSite, body: ByteBuffer(string: GatewayAPITests.scrape))
            #expect(published.status == .accepted)
            // The browser's identity is web:<token name>, also in the task's source.
            let task = try #require(try GatewayAPITests.json(published.body)["task"]?.stringValue)
            #expect(try await fixture.gateway.bus.tasks.task(task)?.fields["source"] == "web:ci")

            let refusedLogout = try await client.execute(uri: "/logout", method: .post, headers: Self.headers(cookie: cookie))
            #expect(refusedLogout.status == .forbidden, "a logout form without the page's CSRF token")
            let logout = try await client.execute(uri: "/logout", method: .post, headers: Self.headers(cookie: cookie), body: ByteBuffer(string: "csrf=\(csrf)"))
            #expect(logout.status == .seeOther)
            #expect(logout.headers[.location] == "/login")
            #expect(logout.headers[.setCookie]?.contains("Max-Age=0") == true)
            let after = try await client.execute(uri: "/v1/agents", method: .get, headers: [.cookie: cookie])
            #expect(after.status == .unauthorized)
            #expect(try GatewayAPITests.json(after.body)["error"]?.stringValue == "unauthorized")
        }
    }

    @Test("CSRF: POST /login from another site, or with no Origin, is refused with 403 and no session")
    func loginCSRF() async throws {
        let fixture = try Fixture()
        try await fixture.gateway.makeApplication().test(.live) { client in
            let crossSite = try await client.execute(
                uri: "/login", method: .post, headers: Self.headers(origin: "http://evil.example"), body: Self.form(GatewayAPITests.token)
            )
            #expect(crossSite.status == .forbidden)
            #expect(crossSite.headers[.setCookie] == nil)
            #expect(try GatewayAPITests.json(crossSite.body)["error"]?.stringValue == "csrf")
            var noOrigin = Self.headers()
            noOrigin[.origin] = nil
            let missing = try await client.execute(uri: "/login", method: .post, headers: noOrigin, body: Self.form(GatewayAPITests.token))
            #expect(missing.status == .forbidden)
            // The JSON API without a bearer token or a session: 401, also with a made-up session cookie.
            #expect(try await client.execute(uri: "/v1/agents", method: .get).status == .unauthorized)
            #expect(try await client.execute(uri: "/v1/agents", method: .get, headers: [.cookie: "sb_session=made-up"]).status == .unauthorized)
        }
    }
}
