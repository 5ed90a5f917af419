import Foundation

/// Expands the placeholders that let rule examples and test fixtures describe credential-shaped samples
/// without holding one literally (so the repository never trips a secret scanner):
/// `{{random:N}}` N letters and digits, `{{random:N:upper}}` N upper-case letters and digits, `{{random:N:hex}}` N hex digits,
/// and `{{repeat:TEXT:N}}` TEXT N times (`{{repeat:K:1}}` splits a word a scanner looks for).
/// The random characters are the same on every run.
public enum SamplePlaceholder {
    /// `text` with every placeholder expanded; an unknown or malformed placeholder is an error naming it.
    public static func expand(_ text: String) throws(SamplePlaceholderError) -> String {
        var generator = SampleGenerator()
        var output = ""
        var rest = text[...]
        while let open = rest.range(of: "{{") {
            output += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "}}") else { throw SamplePlaceholderError(placeholder: String(rest[open.lowerBound...])) }
            output += try generator.expand(rest[open.upperBound..<close.lowerBound])
            rest = rest[close.upperBound...]
        }
        return output + rest
    }
}

/// A placeholder in a sample that is not one of `{{random:N}}`, `{{random:N:upper|hex}}` or `{{repeat:TEXT:N}}`.
public struct SamplePlaceholderError: Error, Sendable, Hashable, CustomStringConvertible {
    public var placeholder: String

    public var description: String {
        "unknown placeholder '\(placeholder)'; use {{random:N}}, {{random:N:upper}}, {{random:N:hex}} or {{repeat:TEXT:N}}"
    }
}

/// Deterministic characters for `{{random:…}}` (a linear congruential generator with a fixed seed).
private struct SampleGenerator {
    private var state: UInt64 = 0x5EED_0F_5A_3D1E
    private static let alphabets: [String: [Character]] = [
        "alnum": Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"),
        "upper": Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"),
        "hex": Array("0123456789abcdef"),
    ]

    mutating func expand(_ body: Substring) throws(SamplePlaceholderError) -> String {
        let parts = body.split(separator: ":", omittingEmptySubsequences: false)
        let failure = SamplePlaceholderError(placeholder: "{{\(body)}}")
        switch (parts.first, parts.count) {
        case ("random", 2), ("random", 3):
            guard let count = Int(parts[1]), count > 0, let alphabet = Self.alphabets[parts.count == 3 ? String(parts[2]) : "alnum"] else { throw failure }
            return String((0..<count).map { _ in alphabet[next(below: alphabet.count)] })
        case ("repeat", 3):
            guard let count = Int(parts[2]), count > 0, !parts[1].isEmpty else { throw failure }
            return String(repeating: String(parts[1]), count: count)
        default:
            throw failure
        }
    }

    private mutating func next(below bound: Int) -> Int {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int((state >> 33) % UInt64(bound))
    }
}
