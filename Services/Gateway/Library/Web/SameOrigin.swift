import Hummingbird

/// CSRF protection of requests a browser makes with the session cookie: besides the cookie's `SameSite=Strict`, a
/// state-changing request must carry an `Origin` that is this server's own (`http(s)://<Host>`).
enum SameOrigin {
    /// Throws 403 `csrf` unless `Origin` names the host the request was sent to.
    static func require(_ request: Request) throws {
        guard let origin = request.headers[.origin], let host = request.head.authority,
              origin == "http://\(host)" || origin == "https://\(host)" else {
            throw APIError(.forbidden, "csrf", "a browser request that changes state must come from this site (Origin \(request.headers[.origin] ?? "missing"))")
        }
    }
}
