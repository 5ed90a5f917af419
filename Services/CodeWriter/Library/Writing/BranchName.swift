/// The branch a `code.write` task pushes when the request names none: `switchboard/<task-id-short>-<slug of spec>`.
/// The same task always gets the same name, which is what makes a retry find its own branch.
enum BranchName {
    static func make(task: String, spec: String) -> String {
        "switchboard/\(short(task))-\(slug(spec))"
    }

    /// The task id in lower-case letters, digits and dashes; ids longer than 16 characters keep their first 8.
    static func short(_ task: String) -> String {
        let cleaned = words(task).joined(separator: "-")
        let short = cleaned.count <= 16 ? cleaned : String(cleaned.prefix(8))
        let trimmed = short.hasSuffix("-") ? String(short.dropLast()) : short
        return trimmed.isEmpty ? "task" : trimmed
    }

    /// The spec's first words (ASCII letters and digits, lower case) joined by dashes, at most `limit` characters.
    static func slug(_ spec: String, limit: Int = 40) -> String {
        var slug = ""
        for word in words(spec) {
            let next = slug.isEmpty ? word : "\(slug)-\(word)"
            if next.count > limit { break }
            slug = next
        }
        if slug.isEmpty, let first = words(spec).first { slug = String(first.prefix(limit)) }
        return slug.isEmpty ? "change" : slug
    }

    private static func words(_ text: String) -> [String] {
        text.lowercased().split { !($0.isASCII && ($0.isLetter || $0.isNumber)) }.map(String.init)
    }
}
