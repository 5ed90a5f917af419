import Foundation

/// Which repositories agents may act on: the forge's repositories within `GITHUB_ALLOWED_REPOS` (every one of them
/// when it is empty) and URLs that start with a prefix of `SB_REPO_ALLOW`; anything else is `forbidden_repository`.
public struct RepositoryPolicy: Sendable, Hashable {
    /// The forge's web URL, where its git repositories live (`https://github.com`, or an Enterprise host).
    public let forgeURL: String
    /// Lower-cased `owner/name`s of the forge that are served; empty serves every repository of the forge.
    public let allowedRepos: Set<String>
    /// `SB_REPO_ALLOW`, normalised the way repository URLs are (lower-case scheme and host, paths as `file://`).
    public let allowedPrefixes: [String]

    /// `forgeURL` is the forge's web URL; `allowedRepos` are `owner/name`s; `allowedPrefixes` are URL prefixes (a plain
    /// absolute path counts as `file://` + path).
    public init(forgeURL: String = "https://github.com", allowedRepos: [String] = [], allowedPrefixes: [String] = []) throws(ConfigurationError) {
        guard let forge = RepositoryLocation(forgeURL), case .url = forge.kind else {
            throw ConfigurationError(variable: "GITHUB_API_URL", message: "cannot tell the forge's web address from '\(forgeURL)'")
        }
        var prefixes: [String] = []
        for prefix in allowedPrefixes {
            guard prefix.contains("://") || prefix.hasPrefix("/") || prefix.contains(":"), let location = RepositoryLocation(prefix) else {
                throw ConfigurationError(variable: "SB_REPO_ALLOW", message: "'\(prefix)' is not a URL prefix (e.g. file:///srv/repos/ or https://git.example.com/team/)")
            }
            prefixes.append(location.normalized)
        }
        self.forgeURL = forge.normalized.hasSuffix("/") ? String(forge.normalized.dropLast()) : forge.normalized
        self.allowedRepos = Set(allowedRepos.map { $0.lowercased() })
        self.allowedPrefixes = prefixes
    }

    /// From `GITHUB_API_URL` (its web host), `GITHUB_ALLOWED_REPOS` and `SB_REPO_ALLOW`.
    public init(environment: SwitchboardEnvironment) throws(ConfigurationError) {
        try self.init(forgeURL: Self.forgeURL(apiURL: environment.value("GITHUB_API_URL")), allowedRepos: environment.list("GITHUB_ALLOWED_REPOS"),
                      allowedPrefixes: environment.list("SB_REPO_ALLOW"))
    }

    /// The forge's web URL for its API URL: `https://api.github.com` → `https://github.com`; Enterprise
    /// `https://host/api/v3` → `https://host`; any other URL (a test's local API) as it is.
    public static func forgeURL(apiURL: String?) -> String {
        guard var apiURL, !apiURL.isEmpty else { return "https://github.com" }
        while apiURL.hasSuffix("/") { apiURL.removeLast() }
        if apiURL.lowercased() == "https://api.github.com" { return "https://github.com" }
        if let range = apiURL.range(of: "/api/v3") { return String(apiURL[..<range.lowerBound]) }
        return apiURL
    }

    /// The forge's git host (`github.com`, `host:port`) when its web URL is https: the only host the forge token is
    /// ever sent to. `nil` for a forge on plain http (a test's local API), which gets no token.
    public var forgeTokenHost: String? {
        guard let location = RepositoryLocation(forgeURL), case .url(let scheme, let authority, _) = location.kind, scheme == "https" else { return nil }
        return authority
    }

    /// Throws `RepositoryPolicyError` unless agents may act on `repoURL` (a clone URL, a local path, or `owner/name`).
    public func check(_ repoURL: String) throws(RepositoryPolicyError) {
        _ = try cloneURL(repoURL)
    }

    /// The URL to clone for `repoURL` once it passes `check`: `owner/name` becomes the forge's
    /// `<forge>/owner/name.git`; anything else is returned as given (trimmed).
    public func cloneURL(_ repoURL: String) throws(RepositoryPolicyError) -> String {
        let text = repoURL.trimmingCharacters(in: .whitespacesAndNewlines)
        let url = RepositoryLocation.isShorthand(text) ? "\(forgeURL)/\(text).git" : text
        guard let location = RepositoryLocation(url) else {
            throw RepositoryPolicyError(
                "repository '\(Redactor.redact(text))' is refused: give a clone URL (https://…, ssh://…, file:///…), an absolute path or owner/name, with no '.' or '..' segments, query or escapes"
            )
        }
        if let repo = forgeRepository(location) {
            guard allowedRepos.isEmpty || allowedRepos.contains(repo.lowercased()) else {
                throw RepositoryPolicyError("repository \(repo) is not in GITHUB_ALLOWED_REPOS (\(allowedRepos.sorted().joined(separator: ", "))): add it there to let agents act on it")
            }
            return url
        }
        guard allowedPrefixes.contains(where: { Self.matches(location.normalized, prefix: $0) }) else {
            let listed = allowedPrefixes.isEmpty ? "none" : allowedPrefixes.joined(separator: ", ")
            throw RepositoryPolicyError(
                "repository '\(Redactor.redact(text))' is not allowed: agents act only on repositories of \(forgeURL) (those in GITHUB_ALLOWED_REPOS when it is set) and on URLs starting with a prefix in SB_REPO_ALLOW (now: \(listed)); add a prefix such as \(location.suggestedPrefix) to SB_REPO_ALLOW to allow it"
            )
        }
        return url
    }

    /// `owner/name` when `location` is a repository of the forge: https (the forge's scheme and host) or ssh
    /// (`ssh://git@host/owner/name.git`, `git@host:owner/name.git`).
    private func forgeRepository(_ location: RepositoryLocation) -> String? {
        guard let forge = RepositoryLocation(forgeURL), case .url(let forgeScheme, let forgeAuthority, _) = forge.kind else { return nil }
        let forgeHost = forgeAuthority.split(separator: ":").first.map(String.init) ?? forgeAuthority
        let path: String
        switch location.kind {
        case .url(let scheme, let authority, let urlPath) where scheme == forgeScheme && authority == forgeAuthority: path = urlPath
        case .url("ssh", "git@\(forgeHost)", let urlPath): path = urlPath
        case .scp(let host, let scpPath) where host == "git@\(forgeHost)": path = scpPath
        default: return nil
        }
        var name = Substring(path)
        while name.hasPrefix("/") { name = name.dropFirst() }
        while name.hasSuffix("/") { name = name.dropLast() }
        if name.hasSuffix(".git") { name = name.dropLast(4) }
        return RepositoryLocation.isShorthand(String(name)) ? String(name) : nil
    }

    /// `prefix` matches at a boundary: it ends in `/` or `:`, or the URL goes on with `/` (so `https://git.example.com`
    /// never matches `https://git.example.com.evil.example/`).
    static func matches(_ url: String, prefix: String) -> Bool {
        guard url.hasPrefix(prefix) else { return false }
        if prefix.hasSuffix("/") || prefix.hasSuffix(":") || url.count == prefix.count { return true }
        return url[url.index(url.startIndex, offsetBy: prefix.count)] == "/"
    }
}

/// A repository refused by `RepositoryPolicy`; the task fails at once with `error_code` `forbidden_repository`.
public struct RepositoryPolicyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was refused and which variable allows it.
    public let message: String
    /// The `error_code` of the failed task.
    public let code = "forbidden_repository"

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }

    /// The permanent `AgentError` a handler throws for it.
    public var agentError: AgentError { .permanent(message, code: code) }
}
