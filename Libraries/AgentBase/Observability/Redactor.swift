/// Masks secrets in text before it reaches a log: token shapes, URL passwords, bearer headers.
public enum Redactor {
    /// Metadata keys whose values are always masked.
    static let sensitiveKeys = ["token", "secret", "password", "passwd", "authorization", "api_key", "apikey", "cookie", "signature"]

    private static var patterns: [Regex<Substring>] {
        [
            /(?i)bearer\s+[A-Za-z0-9._~+\/=-]{8,}/,
            /gh[pousr]_[A-Za-z0-9]{20,}/,
            /github_pat_[A-Za-z0-9_]{20,}/,
            /xox[abprs]-[A-Za-z0-9-]{10,}/,
            /xapp-[A-Za-z0-9-]{10,}/,
            /sk-(?:ant-)?[A-Za-z0-9_-]{16,}/,
            /AKIA[0-9A-Z]{16}/,
            /\d{6,12}:[A-Za-z0-9_-]{30,}/,
            /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/,
        ]
    }

    /// The text with every secret-looking part replaced by `***`.
    public static func redact(_ text: String) -> String {
        var result = text
        if result.contains("://"), let match = result.firstMatch(of: /:\/\/([^\/\s:@]*):([^@\/\s]+)@/) {
            result.replaceSubrange(match.output.2.startIndex..<match.output.2.endIndex, with: "***")
        }
        for pattern in patterns where result.contains(pattern) {
            result.replace(pattern, with: "***")
        }
        return result
    }

    /// Whether a metadata key names a secret.
    public static func isSensitive(key: String) -> Bool {
        let lower = key.lowercased()
        return sensitiveKeys.contains { lower.contains($0) }
    }
}
