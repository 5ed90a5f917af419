extension WorkflowRunResult: ReadableResult {
    /// The workflow's steps with their status, then its output.
    public var text: String {
        let path = steps.map { "\($0.name) (\($0.status.rawValue))" }
        var lines = ["✅ Workflow \(workflow): \(path.joined(separator: " → "))"]
        if let output, !output.isNull { lines.append(output.jsonString) }
        return lines.joined(separator: "\n")
    }
}
