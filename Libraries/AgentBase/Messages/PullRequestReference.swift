/// The `{repo, number}` of a pull request on the forge, as requests about one carry it.
enum PullRequestReference {
    /// Checks `repo` is `owner/repo` and `number` is 1 or more.
    static func check(repo: String, number: Int, type: String) throws(MessageValidationError) {
        let parts = repo.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty }) else {
            throw MessageValidationError(type: type, message: "\"repo\" must be owner/repo, got '\(repo)'")
        }
        guard number > 0 else { throw MessageValidationError(type: type, message: "\"number\" must be 1 or more") }
    }
}
