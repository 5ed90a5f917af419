/// How a file changed between the base and the head, named as GitHub's pull request files API names it.
public enum FileStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case added
    case modified
    case removed
    case renamed
    case copied

    /// The status for a forge's `status` field; `changed` and `unchanged` (mode or metadata only) count as `modified`.
    public init(forge status: String) {
        self = FileStatus(rawValue: status) ?? .modified
    }
}
