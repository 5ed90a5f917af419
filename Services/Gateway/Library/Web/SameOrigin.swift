import Crypto
import Foundation
import HTTPTypes
import Hummingbird

/// CSRF protection of requests a browser makes with the session cookie: besides the cookie's `SameSite=Strict`, a
/// state-changing request must carry an `Origin` that is this server's own (`http(s)://<Host>`) and, once signed in,
/// the session's CSRF token (header `X-CSRF-Token`, or the form field `csrf`), which pages carry in
/// `<meta name="csrf-token">`.
enum SameOrigin {
    /// The header the dashboard's scripts send the token in.
    static let header = HTTPField.Name("X-CSRF-Token")!

    /// Throws 403 `csrf` unless `Origin` names the host the request was sent to.
    static func require(_ request: Request) throws {
        guard let origin = request.headers[.origin], let host = request.head.authority,
              origin == "http://\(host)" || origin == "https://\(host)" else {
            throw APIError(.forbidden, "csrf", "a browser request that changes state must come from this site (Origin \(request.headers[.origin] ?? "missing"))")
        }
    }

    /// Throws 403 `csrf` unless the request comes from this site with the CSRF token of `session` (in the header, or
    /// `formToken` from a form's `csrf` field).
    static func require(_ request: Request, session: String, formToken: String? = nil) throws {
        try require(request)
        guard let presented = request.headers[header] ?? formToken,
              ConstantTime.equal(Array(presented.utf8), Array(token(session: session).utf8)) else {
            throw APIError(.forbidden, "csrf", "a browser request that changes state must carry the page's CSRF token (\(header.rawName) header)")
        }
    }

    /// The CSRF token of a session: a digest of its id, so it needs no storage and changes with every login.
    static func token(session: String) -> String {
        SHA256.hash(data: Data("csrf:\(session)".utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
