import Crypto
import Foundation

/// A repository's clone URL, checked before git sees it: an ordinary transport (https, http, ssh, git, file, an
/// scp-like `host:path` or a local path), no option-like text, no credentials in it.
public struct RepositoryURL: Sendable, Hashable, CustomStringConvertible {
    public let url: String

    public init(_ text: String) throws(GitError) {
        let url = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !url.isEmpty else { throw .invalidRepositoryURL(text, reason: "it is empty") }
        guard !url.hasPrefix("-") else { throw .invalidRepositoryURL(text, reason: "it starts with '-'") }
        guard !url.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .invalidRepositoryURL(text, reason: "it contains control characters")
        }
        if let schemeEnd = url.range(of: "://") {
            let scheme = url[..<schemeEnd.lowerBound].lowercased()
            guard ["https", "http", "ssh", "git", "file"].contains(scheme) else {
                throw .invalidRepositoryURL(text, reason: "the transport '\(scheme)' is not allowed (use https, ssh or file)")
            }
            let authority = url[schemeEnd.upperBound...].prefix { $0 != "/" }
            if scheme.hasPrefix("http"), authority.contains("@") {
                throw .invalidRepositoryURL(text, reason: "credentials in the URL are refused; set GITHUB_TOKEN instead")
            }
        } else if url.contains("::") {
            throw .invalidRepositoryURL(text, reason: "remote helpers ('transport::address') are not allowed")
        }
        self.url = url.count > 1 && url.hasSuffix("/") ? String(url.dropLast()) : url
    }

    /// A stable name for the repository: the first 32 hex digits of the SHA-256 of the URL. It names the mirror
    /// directory and the Redis lock key.
    public var hash: String {
        SHA256.hash(data: Data(url.utf8)).prefix(16).map { String(format: "%02x", $0) }.joined()
    }

    public var description: String { url }

    /// The lower-cased `host[:port]` of an https URL; `nil` for any other transport.
    public var httpsAuthority: String? {
        guard url.lowercased().hasPrefix("https://") else { return nil }
        return url.dropFirst("https://".count).prefix { $0 != "/" }.lowercased()
    }
}
