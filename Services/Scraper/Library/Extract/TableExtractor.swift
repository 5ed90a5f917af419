import AgentBase

/// Reads a table with a status column (`Status`, `State`, `Done`, …) as todo items: the task column gives the
/// text, the status cell (a word or a checkbox) says done, and `Due` / `Tags` columns fill those fields.
struct TableExtractor {
    let table: HTMLNode

    /// The rows as items, or `nil` when the table has no status column.
    func items() -> [TodoItem]? {
        let rows = table.descendants.filter { $0.name == "tr" }
        guard let header = rows.first else { return nil }
        let titles = cells(header).map { ItemText.normalise($0.textContent()).lowercased() }
        guard let status = titles.firstIndex(where: Self.statusTitles.contains) else { return nil }
        let task = titles.indices.first { $0 != status && Self.taskWords.contains(where: titles[$0].contains) }
            ?? titles.indices.first { $0 != status }
        guard let task else { return nil }
        let due = titles.firstIndex { ["due", "deadline", "due date", "date"].contains($0) }
        let tags = titles.firstIndex { ["tags", "tag", "labels", "label"].contains($0) }
        return rows.dropFirst().compactMap { row in
            let cells = cells(row)
            guard cells.count > max(status, task) else { return nil }
            let statusCell = cells[status]
            let word = ItemText.normalise(statusCell.textContent()).lowercased()
            let checkbox = statusCell.descendants.first(where: HTMLExtractor.isCheckbox)
            let done = checkbox.map { $0.attributes["checked"] != nil } ?? Self.doneWords.contains(word)
            let dueText = due.flatMap { $0 < cells.count ? ItemText.normalise(cells[$0].textContent()) : nil }
            let tagList = tags.flatMap { $0 < cells.count ? cells[$0].textContent() : nil }?
                .split { $0 == "," || $0 == " " }.map(String.init) ?? []
            return ItemText.item(cells[task].textContent(), done: done, due: dueText, tags: tagList)
        }
    }

    private func cells(_ row: HTMLNode) -> [HTMLNode] {
        row.elements.filter { $0.name == "td" || $0.name == "th" }
    }

    static let statusTitles: Set<String> = ["status", "state", "done", "complete", "completed", "progress", "✓", "✔", "☑"]
    static let taskWords = ["task", "todo", "to-do", "to do", "item", "title", "name", "description", "what", "action"]
    static let doneWords: Set<String> = ["done", "complete", "completed", "closed", "finished", "resolved", "shipped", "yes", "true", "✓", "✔", "☑", "✅", "x", "[x]"]
}
