/// One shape of secret the `Redactor` masks: a literal every match contains, checked with a cheap byte scan, and the
/// expression run only when the literal is there, so most log lines never reach a regular expression.
struct SecretShape: Sendable {
    /// ASCII text every match contains.
    let literal: String
    /// Whether `literal` is matched ignoring ASCII case.
    let ignoringCase: Bool
    let regex: Regex<Substring>

    /// Whether the expression may match `text` (false means it certainly does not).
    func mayMatch(_ text: String) -> Bool {
        Self.contains(literal, in: text, ignoringCase: ignoringCase)
    }

    /// The token shapes, compiled once per process (they used to be compiled for every log line).
    static let all: [SecretShape] = [
        SecretShape(literal: "bearer", ignoringCase: true, regex: /(?i)bearer\s+[A-Za-z0-9._~+\/=-]{8,}/),
        SecretShape(literal: "gh", ignoringCase: false, regex: /gh[pousr]_[A-Za-z0-9]{20,}/),
        SecretShape(literal: "github_pat_", ignoringCase: false, regex: /github_pat_[A-Za-z0-9_]{20,}/),
        SecretShape(literal: "xox", ignoringCase: false, regex: /xox[abprs]-[A-Za-z0-9-]{10,}/),
        SecretShape(literal: "xapp-", ignoringCase: false, regex: /xapp-[A-Za-z0-9-]{10,}/),
        SecretShape(literal: "sk-", ignoringCase: false, regex: /sk-(?:ant-)?[A-Za-z0-9_-]{16,}/),
        SecretShape(literal: "AKIA", ignoringCase: false, regex: /AKIA[0-9A-Z]{16}/),
        SecretShape(literal: ":", ignoringCase: false, regex: /\d{6,12}:[A-Za-z0-9_-]{30,}/),
        SecretShape(literal: "PRIVATE KEY", ignoringCase: false, regex: /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/),
    ]

    /// `://userinfo@` of any URL; the capture is the userinfo (up to the last `@` before the path, so a password
    /// holding an unescaped `@` is masked whole).
    static let urlCredentials = /:\/\/([^\/\s?#]+)@/

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
}
