/// Masks secrets in text before it reaches a log: token shapes, URL credentials, bearer headers.
public enum Redactor {
    /// Metadata keys whose values are always masked.
    static let sensitiveKeys = ["token", "secret", "password", "passwd", "authorization", "api_key", "apikey", "cookie", "signature"]

    /// The text with every secret-looking part replaced by `***`.
    public static func redact(_ text: String) -> String {
        var result = SecretShape.maskURLCredentials(text)
        for shape in SecretShape.all where shape.mayMatch(result) {
            result = shape.mask(result)
        }
        return result
    }

    /// Whether a metadata key names a secret.
    public static func isSensitive(key: String) -> Bool {
        sensitiveKeys.contains { SecretShape.contains($0, in: key, ignoringCase: true) }
    }
}
