import Foundation

/// One shape of secret the `Redactor` masks: a literal every match contains, checked with a cheap byte scan, and the
/// expression run only when the literal is there, so most log lines never reach a regular expression.
/// `NSRegularExpression` rather than `Regex`: it is immutable and thread-safe (`Sendable`), so the shapes are compiled
/// once per process and shared by every logging thread.
struct SecretShape: Sendable {
    /// ASCII text every match contains.
    let literal: String
    /// Whether `literal` is matched ignoring ASCII case.
    let ignoringCase: Bool
    let regex: NSRegularExpression

    init(_ literal: String, ignoringCase: Bool = false, _ pattern: String) {
        self.literal = literal
        self.ignoringCase = ignoringCase
        regex = Self.compile(pattern)
    }

    /// Whether the expression may match `text` (false means it certainly does not).
    func mayMatch(_ text: String) -> Bool {
        Self.contains(literal, in: text, ignoringCase: ignoringCase)
    }

    /// `text` with every match replaced by `***`.
    func mask(_ text: String) -> String {
        regex.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: "***")
    }

    /// The token shapes, compiled once per process (they used to be compiled for every log line).
    static let all: [SecretShape] = [
        SecretShape("bearer", ignoringCase: true, #"(?i)bearer\s+[A-Za-z0-9._~+/=-]{8,}"#),
        SecretShape("gh", #"gh[pousr]_[A-Za-z0-9]{20,}"#),
        SecretShape("github_pat_", #"github_pat_[A-Za-z0-9_]{20,}"#),
        SecretShape("xox", #"xox[abprs]-[A-Za-z0-9-]{10,}"#),
        SecretShape("xapp-", #"xapp-[A-Za-z0-9-]{10,}"#),
        SecretShape("sbt_", #"sbt_[A-Za-z0-9_-]{20,}"#),
        SecretShape("sk-", #"sk-(?:ant-)?[A-Za-z0-9_-]{16,}"#),
        SecretShape("AKIA", #"AKIA[0-9A-Z]{16}"#),
        SecretShape(":", #"\d{6,12}:[A-Za-z0-9_-]{30,}"#),
        SecretShape("PRIVATE KEY", #"-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)"#),
    ]

    /// `://userinfo@` of any URL; group 1 is the userinfo (up to the last `@` before the path, so a password holding
    /// an unescaped `@` is masked whole).
    static let urlCredentials = compile(#"://([^/\s?#]+)@"#)

    /// Every URL's userinfo masked: `user:password` keeps the user, a lone user part is a token itself (`https://TOKEN@host`).
    static func maskURLCredentials(_ text: String) -> String {
        guard contains("://", in: text), contains("@", in: text) else { return text }
        var result = text
        for match in urlCredentials.matches(in: text, range: NSRange(text.startIndex..., in: text)).reversed() {
            guard let range = Range(match.range(at: 1), in: text) else { continue }
            let userinfo = text[range]
            let masked = userinfo.firstIndex(of: ":").map { "\(userinfo[..<$0]):***" } ?? "***"
            result.replaceSubrange(range, with: masked)
        }
        return result
    }

    /// Whether `text` holds the ASCII `literal`, by a byte scan (no regular expression, no lower-cased copy).
    static func contains(_ literal: String, in text: String, ignoringCase: Bool = false) -> Bool {
        let needle = Array(literal.utf8)
        guard let first = needle.first else { return true }
        let bytes = text.utf8
        guard bytes.count >= needle.count else { return false }
        func same(_ a: UInt8, _ b: UInt8) -> Bool {
            a == b || (ignoringCase && lowered(a) == lowered(b))
        }
        var index = bytes.startIndex
        let last = bytes.index(bytes.endIndex, offsetBy: -(needle.count - 1))
        while index < last {
            if same(bytes[index], first) {
                var probe = bytes.index(after: index)
                var offset = 1
                while offset < needle.count, same(bytes[probe], needle[offset]) {
                    probe = bytes.index(after: probe)
                    offset += 1
                }
                if offset == needle.count { return true }
            }
            index = bytes.index(after: index)
        }
        return false
    }

    private static func lowered(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
    }

    /// The shapes are constants of this file, checked by the tests: one that does not compile is a programming error.
    private static func compile(_ pattern: String) -> NSRegularExpression {
        do {
            return try NSRegularExpression(pattern: pattern)
        } catch {
            preconditionFailure("a Redactor pattern does not compile: \(pattern): \(error)")
        }
    }
}
