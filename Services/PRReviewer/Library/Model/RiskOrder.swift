/// The order in which a large change's files go to the model when not all of them fit its budget: files the rules
/// flagged first (errors before warnings), then source code before everything else, then the most added lines.
enum RiskOrder {
    static func sorted(_ files: [ChangedFile], findings: [ReviewFinding]) -> [ChangedFile] {
        var weight: [String: Int] = [:]
        for finding in findings {
            weight[finding.path, default: 0] += finding.severity.rank * finding.severity.rank
        }
        let languages = Array(Language.extensions.keys)
        return files.enumerated().sorted { first, second in
            let a = first.element, b = second.element
            let key = { (file: ChangedFile) in (weight[file.path, default: 0], Language.path(file.path, isIn: languages) ? 1 : 0, file.additions) }
            let (x, y) = (key(a), key(b))
            if x != y { return x > y }
            return first.offset < second.offset
        }.map(\.element)
    }
}
