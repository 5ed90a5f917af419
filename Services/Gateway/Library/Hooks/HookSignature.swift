import Crypto
import Foundation
import Workflows

/// Checks a delivery against its endpoint's verification: an HMAC-SHA256 of the raw body, or a shared token, both
/// compared in constant time.
enum HookSignature {
    /// Whether `presented` (the header's value) proves the delivery for `secret`.
    static func verify(_ verification: HookVerification, presented: String, body: Data, secret: String) -> Bool {
        switch verification {
        case .hmacSHA256(_, _, let prefix):
            guard presented.hasPrefix(prefix), let expected = GitHubWebhook.bytes(hex: String(presented.dropFirst(prefix.count)).lowercased()) else { return false }
            return HMAC<SHA256>.isValidAuthenticationCode(expected, authenticating: body, using: SymmetricKey(data: Data(secret.utf8)))
        case .token:
            return ConstantTime.equal(Array(presented.utf8), Array(secret.utf8))
        }
    }

    /// The header value a sender would put on `body` (tests and examples sign with it).
    static func sign(_ body: Data, secret: String, prefix: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8)))
        return prefix + code.map { String(format: "%02x", $0) }.joined()
    }
}
