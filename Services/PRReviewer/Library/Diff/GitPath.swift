import Foundation

/// Paths as git writes them in diffs: `a/`/`b/` prefixes, `/dev/null`, C-style quoting of unusual names, tab-separated timestamps.
enum GitPath {
    /// The path of a `---`/`+++` line without its prefix; nil for `/dev/null`.
    static func diffPath(_ value: Substring, prefix: String) -> String? {
        var raw = value
        if !raw.hasPrefix("\""), let tab = raw.firstIndex(of: "\t") { raw = raw[..<tab] }
        let path = unquote(raw)
        return path == "/dev/null" ? nil : strip(path, prefix: prefix)
    }

    static func strip(_ path: String, prefix: String) -> String {
        path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }

    /// The two paths of `diff --git <old> <new>`; either may be quoted. Unquoted paths with spaces are split where both halves name the same file.
    static func splitHeaderPaths(_ rest: Substring) -> (String?, String?) {
        if rest.hasPrefix("\""), let end = closingQuote(in: rest) {
            let old = unquote(rest[...end])
            return (old, unquote(rest[rest.index(after: end)...].drop { $0 == " " }))
        }
        if let quote = rest.range(of: " \"") {
            return (String(rest[..<quote.lowerBound]), unquote(rest[rest.index(after: quote.lowerBound)...]))
        }
        let count = rest.count
        if count % 2 == 1 {
            let half = rest.prefix((count - 1) / 2)
            let other = rest.suffix((count - 1) / 2)
            if half.dropFirst(2) == other.dropFirst(2) { return (String(half), String(other)) }
        }
        guard let separator = rest.range(of: " b/", options: .backwards) else { return (nil, nil) }
        return (String(rest[..<separator.lowerBound]), String(rest[rest.index(after: separator.lowerBound)...]))
    }

    private static func closingQuote(in text: Substring) -> Substring.Index? {
        var index = text.index(after: text.startIndex)
        var escaped = false
        while index < text.endIndex {
            let character = text[index]
            if escaped {
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "\"" {
                return index
            }
            index = text.index(after: index)
        }
        return nil
    }

    /// Undoes git's quoting of a path (`"caf\303\251 menu.txt"` is `café menu.txt`); unquoted paths are returned as they are.
    static func unquote(_ value: Substring) -> String {
        guard value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") else { return String(value) }
        var bytes: [UInt8] = []
        var scalars = Array(value.dropFirst().dropLast().utf8)[...]
        while let byte = scalars.popFirst() {
            guard byte == UInt8(ascii: "\\"), let escaped = scalars.popFirst() else { bytes.append(byte); continue }
            switch escaped {
            case UInt8(ascii: "n"): bytes.append(UInt8(ascii: "\n"))
            case UInt8(ascii: "t"): bytes.append(UInt8(ascii: "\t"))
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                var octal = Int(escaped - UInt8(ascii: "0"))
                for _ in 0..<2 {
                    guard let digit = scalars.first, (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(digit) else { break }
                    octal = octal * 8 + Int(digit - UInt8(ascii: "0"))
                    scalars.removeFirst()
                }
                bytes.append(UInt8(truncatingIfNeeded: octal))
            default: bytes.append(escaped)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
