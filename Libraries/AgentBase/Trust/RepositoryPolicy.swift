import Foundation

/// Which repositories requests may name: the forge's repositories within `GITHUB_ALLOWED_REPOS` (all of them when it
/// is empty), and anything that starts with a prefix in `SB_REPO_ALLOW`. Every agent checks it itself.
public struct RepositoryPolicy: Sendable, Hashable {
    /// The forge's git host (`github.com`, or an Enterprise host from `GITHUB_API_URL`).
    public var forgeHost: String
    /// `owner/name`, lower case; empty allows every repository of the forge.
    public var allowedRepos: Set<String>
    /// URL prefixes allowed whatever their host or scheme (`file:///srv/repos/`).
    public var prefixes: [String]

    public init(forgeHost: String = "github.com", allowedRepos: Set<String> = [], prefixes: [String] = []) {
        self.forgeHost = forgeHost.lowercased()
        self.allowedRepos = Set(allowedRepos.map { $0.lowercased() })
        self.prefixes = prefixes
    }

    /// Reads `GITHUB_API_URL`, `GITHUB_ALLOWED_REPOS` and `SB_REPO_ALLOW`.
    public init(environment: SwitchboardEnvironment) {
        self.init(
            forgeHost: Self.forgeHost(apiURL: environment.value("GITHUB_API_URL")),
            allowedRepos: Set(environment.list("GITHUB_ALLOWED_REPOS")), prefixes: environment.list("SB_REPO_ALLOW")
        )
    }

    /// `https://api.github.com` → `github.com`; an Enterprise `https://host/api/v3` → `host`.
    public static func forgeHost(apiURL: String?) -> String {
        guard let apiURL, let host = URLComponents(string: apiURL)?.host?.lowercased() else { return "github.com" }
        return host == "api.github.com" ? "github.com" : host
    }

    /// Refuses a `repo_url` (or an `owner/name` of the forge) that is not allowed.
    public func check(_ repository: String) throws(RepositoryPolicyError) {
        let text = repository.trimmingCharacters(in: .whitespaces)
        guard !text.split(separator: "/").contains(".."), !text.lowercased().contains("%2e"), !text.contains("\\") else {
            throw RepositoryPolicyError(repository: repository, reason: "'..', '%2e' and '\\' are not allowed in a repository URL")
        }
        if prefixes.contains(where: { Self.normalised(text).hasPrefix($0) || text.hasPrefix($0) }) { return }
        if let name = forgeRepository(text) {
            if allowedRepos.isEmpty || allowedRepos.contains(name) { return }
            throw RepositoryPolicyError(repository: repository, reason: "\(name) is not in GITHUB_ALLOWED_REPOS")
        }
        throw RepositoryPolicyError(repository: repository, reason: "it is neither a repository of \(forgeHost) nor under a prefix in SB_REPO_ALLOW")
    }

    /// `owner/name` (lower case) when `text` names a repository of the forge over https or as a shorthand.
    public func forgeRepository(_ text: String) -> String? {
        let parts: [Substring]
        if text.contains("://") {
            guard let components = URLComponents(string: text), components.scheme?.lowercased() == "https",
                  components.host?.lowercased() == forgeHost, components.user == nil, components.port == nil else { return nil }
            parts = components.path.split(separator: "/")
        } else {
            guard !text.hasPrefix("/"), !text.contains(":") else { return nil }
            parts = text.split(separator: "/", omittingEmptySubsequences: false)
        }
        guard parts.count == 2 else { return nil }
        let owner = parts[0], name = parts[1].hasSuffix(".git") ? parts[1].dropLast(4) : parts[1]
        let allowed = { (part: Substring) in !part.isEmpty && part != "." && part != ".." && part.allSatisfy { $0.isLetter || $0.isNumber || "-_.".contains($0) } }
        guard allowed(owner), allowed(name) else { return nil }
        return "\(owner)/\(name)".lowercased()
    }

    /// A local path as the `file://` URL prefixes are written in.
    static func normalised(_ text: String) -> String {
        text.hasPrefix("/") ? "file://" + URL(fileURLWithPath: text).standardizedFileURL.path : text
    }
}

/// A repository the policy does not allow; `code` is the task's `error_code`.
public struct RepositoryPolicyError: Error, Sendable, Hashable, CustomStringConvertible {
    public var repository: String
    public var reason: String
    public var code: String { "forbidden_repository" }

    public var message: String {
        "the repository \(repository) is not allowed: \(reason) (allow it with GITHUB_ALLOWED_REPOS or SB_REPO_ALLOW)"
    }

    public var description: String { message }
}
