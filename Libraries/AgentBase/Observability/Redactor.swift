/// Masks secrets in text before it reaches a log: token shapes, URL credentials, bearer headers.
public enum Redactor {
    /// Metadata keys whose values are always masked.
    static let sensitiveKeys = ["token", "secret", "password", "passwd", "authorization", "api_key", "apikey", "cookie", "signature"]

    /// The text with every secret-looking part replaced by `***`.
    public static func redact(_ text: String) -> String {
        var result = text
        if SecretShape.contains("://", in: result) && SecretShape.contains("@", in: result) {
            result.replace(SecretShape.urlCredentials) { match in
                // `user:password` keeps the user; a lone user part is a token itself (`https://TOKEN@host`).
                let userinfo = match.output.1
                let masked = userinfo.firstIndex(of: ":").map { "\(userinfo[..<$0]):***" } ?? "***"
                return "://\(masked)@"
            }
        }
        for shape in SecretShape.all where shape.mayMatch(result) {
            result.replace(shape.regex, with: "***")
        }
        return result
    }

    /// Whether a metadata key names a secret.
    public static func isSensitive(key: String) -> Bool {
        let lower = key.lowercased()
        return sensitiveKeys.contains { lower.contains($0) }
    }
}
