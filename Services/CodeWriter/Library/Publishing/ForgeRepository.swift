import AgentBase
import Forge
import Foundation

/// Which forge repository a pull request is opened in: the request's `repo` (`owner/name`), else the owner and name of
/// a GitHub-style `repo_url` (`https://host/owner/name(.git)`, `ssh://git@host/owner/name.git`, `git@host:owner/name.git`).
enum ForgeRepository {
    static func name(repo: String?, repoURL: String) throws(AgentError) -> RepositoryName {
        if let repo {
            guard let name = RepositoryName(repo) else {
                throw .permanent("repo '\(repo)' is not owner/name", code: "invalid_request")
            }
            return name
        }
        guard let name = derived(from: repoURL) else {
            throw .permanent(
                "cannot tell the forge repository for the pull request from repo_url '\(Redactor.redact(repoURL))': pass repo as owner/name, or open_pr: false",
                code: "invalid_request"
            )
        }
        return name
    }

    /// `owner/name` from the path of a forge clone URL; `nil` for local paths, `file://` URLs and other shapes.
    static func derived(from repoURL: String) -> RepositoryName? {
        var path: Substring
        if let schemeEnd = repoURL.range(of: "://") {
            guard ["https", "http", "ssh", "git"].contains(repoURL[..<schemeEnd.lowerBound].lowercased()) else { return nil }
            let rest = repoURL[schemeEnd.upperBound...]
            guard let slash = rest.firstIndex(of: "/") else { return nil }
            path = rest[slash...]
        } else if !repoURL.hasPrefix("/"), let colon = repoURL.firstIndex(of: ":") {
            path = repoURL[repoURL.index(after: colon)...]
        } else {
            return nil
        }
        while path.hasSuffix("/") { path = path.dropLast() }
        if path.hasSuffix(".git") { path = path.dropLast(4) }
        while path.hasPrefix("/") { path = path.dropFirst() }
        return RepositoryName(String(path))
    }
}

extension ForgeRepository {
    /// The forge's page comparing `head` with `base` for a clone URL on the forge (`<forge>/owner/name/compare/base...head`);
    /// `nil` for a repository elsewhere, whose web pages are not known.
    static func compareURL(_ repoURL: String, forgeURL: String, base: String, head: String) -> String? {
        guard repoURL.lowercased().hasPrefix(forgeURL.lowercased() + "/"), let name = derived(from: repoURL) else { return nil }
        return "\(forgeURL)/\(name)/compare/\(base)...\(head)"
    }
}
