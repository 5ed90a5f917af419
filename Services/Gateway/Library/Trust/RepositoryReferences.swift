import AgentBase

extension RepositoryPolicy {
    /// The repositories a request names: `repo_url` and `repo` of the payload, of a scrape's `export`, and of a
    /// workflow's `inputs`.
    static func references(in payload: JSONValue) -> [String] {
        let holders = [payload, payload["export"], payload["inputs"]].compactMap { $0 }
        return holders.flatMap { holder in ["repo_url", "repo"].compactMap { holder[$0]?.stringValue } }
    }

    /// Why the gateway refuses to publish `payload` before any agent sees it, or nil when every repository it names is
    /// allowed (the agents check again: anyone can publish to Redis).
    func refusal(type: String, payload: JSONValue) -> RepositoryPolicyError? {
        for repository in Self.references(in: payload) {
            do { try check(repository) } catch { return error }
        }
        return nil
    }
}
