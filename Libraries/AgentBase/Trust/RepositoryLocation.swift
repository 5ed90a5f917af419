import Foundation

/// A repository address reduced to what the allow-list compares: a URL (lower-case scheme and authority), an
/// scp-like `host:path`, or a local path (as `file://` + path). Addresses whose meaning could shift between this check
/// and git (`.` or `..` segments, percent escapes of dots, backslashes, queries, fragments, relative paths) are `nil`.
struct RepositoryLocation: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        case url(scheme: String, authority: String, path: String)
        case scp(host: String, path: String)
    }

    let kind: Kind

    init?(_ text: String) {
        guard !text.isEmpty, !text.contains("\\"), !text.contains("?"), !text.contains("#"), !text.lowercased().contains("%2e"),
              !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0 == " " }) else { return nil }
        if let schemeEnd = text.range(of: "://") {
            let scheme = text[..<schemeEnd.lowerBound].lowercased()
            let rest = text[schemeEnd.upperBound...]
            let rawAuthority = rest.prefix { $0 != "/" }
            let authority = rawAuthority.lowercased()
            let path = String(rest.dropFirst(rawAuthority.count))
            guard !scheme.isEmpty, scheme.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+.-".contains($0)) }), Self.plain(path) else { return nil }
            if scheme == "file" {
                guard authority.isEmpty || authority == "localhost", path.hasPrefix("/"), !path.contains("%") else { return nil }
                kind = .url(scheme: "file", authority: "", path: path)
            } else {
                guard !authority.isEmpty else { return nil }
                kind = .url(scheme: scheme, authority: authority, path: path)
            }
        } else if text.hasPrefix("/") {
            guard Self.plain(text) else { return nil }
            kind = .url(scheme: "file", authority: "", path: text)
        } else if let colon = text.firstIndex(of: ":"), !text[..<colon].contains("/"), colon != text.startIndex {
            let path = String(text[text.index(after: colon)...])
            guard Self.plain(path) else { return nil }
            kind = .scp(host: text[..<colon].lowercased(), path: path)
        } else {
            return nil
        }
    }

    /// The text prefixes are compared against.
    var normalized: String {
        switch kind {
        case .url(let scheme, let authority, let path): return "\(scheme)://\(authority)\(path)"
        case .scp(let host, let path): return "\(host):\(path)"
        }
    }

    /// A prefix that would allow this repository, for error messages: its host, or its directory.
    var suggestedPrefix: String {
        switch kind {
        case .url("file", _, let path): return "file://\(path.split(separator: "/").dropLast().map { "/\($0)" }.joined())/"
        case .url(let scheme, let authority, _): return "\(scheme)://\(authority)/"
        case .scp(let host, _): return "\(host):"
        }
    }

    /// `owner/name` of a forge repository (letters, digits, `.`, `_`, `-`; never `.` or `..`).
    static func isShorthand(_ text: String) -> Bool {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        return parts.count == 2 && parts.allSatisfy { part in
            !part.isEmpty && part != "." && part != ".." && part.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }
        }
    }

    /// A path without `.` or `..` segments.
    private static func plain(_ path: String) -> Bool {
        !path.split(separator: "/").contains { $0 == "." || $0 == ".." }
    }
}
