/// What a workflow's templates may refer to: `inputs.<input>`, `steps.<step>`, `loops.<loop>` and `run`.
struct ReferenceNames: Sendable, Hashable {
    var inputs: Set<String>
    var steps: Set<String> = []
    var loops: Set<String> = []
    var cleanup: Set<String> = []

    /// Why `path` cannot be resolved in this workflow, or nil when it can.
    func problem(with path: [TemplateExpression.PathComponent]) -> String? {
        guard case .key(let root)? = path.first else { return "a field path starts with a name" }
        let second: String? = if path.count > 1, case .key(let key) = path[1] { key } else { nil }
        switch root {
        case "inputs":
            guard let second else { return "'inputs' needs an input name, e.g. inputs.\(inputs.sorted().first ?? "name")" }
            return inputs.contains(second) ? nil : "unknown input '\(second)' in '\(path.dotted)' (inputs: \(inputs.sorted().joined(separator: ", ")))"
        case "steps":
            guard let second else { return "'steps' needs a step name, e.g. steps.<name>.result" }
            return steps.contains(second) ? nil : "unknown step '\(second)' in '\(path.dotted)' (steps: \(steps.sorted().joined(separator: ", ")))"
        case "loops":
            guard let second else { return "'loops' needs a loop name, e.g. loops.<name>.iteration" }
            return loops.contains(second) ? nil : "unknown loop '\(second)' in '\(path.dotted)'"
        case "run":
            return nil
        default:
            return "'\(path.dotted)' must start with inputs, steps, loops or run"
        }
    }
}
