import AgentBase

/// Compares two scrapes of a page by item text (case-insensitive, nesting flattened).
enum ChangeReport {
    static func changes(from previous: [TodoItem], to current: [TodoItem], since: String) -> TodoChanges {
        let before = flatten(previous)
        let after = flatten(current)
        let beforeKeys = Dictionary(before.map { ($0.text.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
        let afterKeys = Set(after.map { $0.text.lowercased() })
        var changes = TodoChanges(since: since)
        for item in after {
            guard let old = beforeKeys[item.text.lowercased()] else {
                changes.added.append(item.text)
                continue
            }
            if item.done && !old.done { changes.completed.append(item.text) }
            if !item.done && old.done { changes.reopened.append(item.text) }
        }
        changes.removed = before.filter { !afterKeys.contains($0.text.lowercased()) }.map(\.text)
        return changes
    }

    static func flatten(_ items: [TodoItem]) -> [TodoItem] {
        items.flatMap { [$0] + flatten($0.children ?? []) }
    }
}
