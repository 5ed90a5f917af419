import AgentBase
import Yams

/// Reads the `review` section of `.switchboard.yml`, naming the line and field of every problem.
struct RepositoryConfigParser: YAMLFieldReader {
    let path: String
    let knownRules: Set<String>?
    let minimumSeverity: Severity

    func parse(_ text: String) throws(ConfigFileError) -> RepositoryConfig {
        let defaults = RepositoryConfig(severityThreshold: minimumSeverity)
        guard let root = try composeIfPresent(text) else { return defaults }
        guard let top = root.mapping else { throw fail(root, nil, "expected a mapping with a 'review' section") }
        guard let node = top["review"] else { return defaults }
        if node.null != nil { return defaults }
        guard let review = node.mapping else { throw fail(node, "review", "expected {disable, ignore, severity_threshold, on_open, on_push}") }
        try checkKeys(review, allowed: ["disable", "ignore", "severity_threshold", "on_open", "on_push"], field: "review")
        let disabled = try optionalStrings(review, "disable", field: "review")
        if let knownRules {
            for (index, id) in disabled.enumerated() where !knownRules.contains(id) {
                throw fail(review["disable"]?.sequence?[index], "review.disable[\(index)]", "unknown rule '\(id)' (known: \(knownRules.sorted().joined(separator: ", ")))")
            }
        }
        return RepositoryConfig(
            disabledRules: Set(disabled),
            ignore: try optionalStrings(review, "ignore", field: "review").map(PathGlob.init),
            severityThreshold: try severity(review, "severity_threshold", field: "review", default: minimumSeverity),
            onOpen: try commands(review, "on_open"),
            onPush: try commands(review, "on_push")
        )
    }

    /// `on_open` / `on_push`: a list of commands, `[review]` when absent.
    private func commands(_ review: Node.Mapping, _ key: String) throws(ConfigFileError) -> [RepositoryConfig.AutomaticCommand] {
        guard review[key] != nil else { return [.review] }
        var commands: [RepositoryConfig.AutomaticCommand] = []
        for (index, name) in try optionalStrings(review, key, field: "review").enumerated() {
            guard let command = RepositoryConfig.AutomaticCommand(rawValue: name) else {
                let known = RepositoryConfig.AutomaticCommand.allCases.map(\.rawValue).joined(separator: ", ")
                throw fail(review[key]?.sequence?[index], "review.\(key)[\(index)]", "unknown command '\(name)' (known: \(known))")
            }
            commands.append(command)
        }
        return commands
    }
}
