import Yams

/// The `instructions` a repository gives the agents that write code in it, from the top level of its
/// `.switchboard.yml` (other sections belong to whoever reads them, such as the PR reviewer's `review`).
public struct RepositoryInstructions: YAMLFieldReader {
    /// Where the file sits in the repository.
    public static let fileName = ".switchboard.yml"

    public var path: String { Self.fileName }

    public init() {}

    /// The instructions text, nil when the file has none; a mistake is an error naming the line and the field.
    public func parse(_ text: String) throws(ConfigFileError) -> String? {
        guard let root = try composeIfPresent(text) else { return nil }
        guard let top = root.mapping else { throw fail(root, nil, "expected a mapping") }
        return try optionalString(top, "instructions", field: "")
    }
}
