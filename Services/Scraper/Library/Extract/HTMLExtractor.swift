import AgentBase
import Foundation

/// Finds todo items in an HTML page, trying in order: items marked up as tasks (checkboxes, GitHub task lists,
/// Trello/Todoist-style task classes), then tables with a status column and lists under a heading that reads like
/// a todo section, then — when a selector narrowed the page — every list item (or element) it picked.
struct HTMLExtractor {
    /// The parts of the page to look in (the document, or what the selector picked).
    let scopes: [HTMLNode]
    let selected: Bool

    func items() -> [TodoItem] {
        let tasks = scopes.flatMap(collectTasks)
        if !tasks.isEmpty { return tasks }
        let sections = scopes.flatMap(collectSections)
        if !sections.isEmpty || !selected { return sections }
        return scopes.flatMap { scope in
            let lists = Self.outermostLists(in: scope)
            if lists.isEmpty { return ItemText.item(scope.textContent(), done: false).map { [$0] } ?? [] }
            return lists.flatMap(listItems)
        }
    }

    // MARK: Task markup

    private func collectTasks(in node: HTMLNode) -> [TodoItem] {
        var items: [TodoItem] = []
        for child in node.elements {
            items += Self.isTask(child) ? task(child) : collectTasks(in: child)
        }
        return items
    }

    /// The task and, after it, tasks the parser nested inside it outside any list (an unclosed inline element
    /// swallowing the next item): those are siblings on the page.
    private func task(_ node: HTMLNode) -> [TodoItem] {
        var children: [TodoItem] = []
        var hoisted: [TodoItem] = []
        func split(_ element: HTMLNode) {
            for child in element.elements {
                if Self.lists.contains(child.name) {
                    children += collectTasks(in: child)
                } else if Self.isTask(child) {
                    hoisted += task(child)
                } else {
                    split(child)
                }
            }
        }
        split(node)
        return (item(node, children: children).map { [$0] } ?? []) + hoisted
    }

    private func item(_ node: HTMLNode, children: [TodoItem]) -> TodoItem? {
        let body = Self.ownDescendants(of: node).first { $0.classes.contains(where: Self.isTextClass) } ?? node
        let text = body.textContent { Self.lists.contains($0.name) || Self.isTask($0) || Self.isTag($0) || $0.name == "time" && $0.attributes["datetime"] != nil }
        let own = Self.ownDescendants(of: node)
        let checkbox = own.first(where: Self.isCheckbox)
        let done = checkbox.map { $0.attributes["checked"] != nil } ?? false || Self.markedDone(node) || Self.isStruck(body)
        let due = own.first { $0.name == "time" }?.attributes["datetime"] ?? node.attributes["data-due"] ?? node.attributes["data-due-date"]
        let tags = own.filter(Self.isTag).map { $0.textContent() }
        return ItemText.item(Self.stripMarker(text).text, done: done, due: due, tags: tags, children: children)
    }

    /// An element that is one task: a list item with its own checkbox, an element with a checkbox as a direct
    /// child (`<label><input type=checkbox> …</label>`), or an element whose class names it a task.
    static func isTask(_ node: HTMLNode) -> Bool {
        if let known = node.isTaskCache { return known }
        let task: Bool
        if node.classes.contains(where: taskClasses.contains) {
            task = true
        } else if node.name == "li" {
            task = ownDescendants(of: node).contains(where: isCheckbox)
        } else {
            task = node.name != "ul" && node.name != "ol" && node.elements.contains(where: isCheckbox)
        }
        node.isTaskCache = task
        return task
    }

    static func isCheckbox(_ node: HTMLNode) -> Bool {
        node.name == "input" && node.attributes["type"]?.lowercased() == "checkbox"
    }

    /// Descendants that belong to this item, not to a nested list or task.
    static func ownDescendants(of node: HTMLNode) -> [HTMLNode] {
        var result: [HTMLNode] = []
        var stack = Array(node.elements.reversed())
        while let current = stack.popLast() {
            if lists.contains(current.name) || isTask(current) { continue }
            result.append(current)
            stack.append(contentsOf: current.elements.reversed())
        }
        return result
    }

    private static let taskClasses: Set<String> = [
        "task", "todo", "todo-item", "todo_item", "task-item", "task_item", "task-list-item", "task_list_item",
        "checklist-item", "checklist_item", "checkitem", "check-item",
    ]
    private static let lists = HTMLNode.lists

    private static func isTextClass(_ token: String) -> Bool {
        ["text", "content", "title", "name"].contains { token.hasSuffix($0) || token.hasSuffix("-" + $0) } && !taskClasses.contains(token)
    }

    private static func isTag(_ node: HTMLNode) -> Bool {
        node.classes.contains { ["tag", "label", "labels", "badge", "hashtag", "issuelabel", "task-tag"].contains($0) }
    }

    /// Done by class (`…complete…`, `done`, `checked`) or by `aria-checked` / `data-done`-style attributes.
    static func markedDone(_ node: HTMLNode) -> Bool {
        for token in node.classes {
            if ["incomplete", "not-done", "undone", "unchecked", "open"].contains(where: { token.utf8.contains($0.utf8) }) { continue }
            if ["complete", "done", "checked", "finished", "closed"].contains(where: { token.utf8.contains($0.utf8) }) { return true }
        }
        for attribute in ["aria-checked", "data-checked", "data-done", "data-completed", "data-complete"] {
            if let value = node.attributes[attribute]?.lowercased(), value == "true" || value == "1" || value == "yes" { return true }
        }
        return false
    }

    /// The whole text is inside `<del>`, `<s>` or `<strike>`.
    static func isStruck(_ node: HTMLNode) -> Bool {
        let struck = node.elements.filter { ["del", "s", "strike"].contains($0.name) }
        guard !struck.isEmpty else { return false }
        let inside = struck.map { ItemText.normalise($0.textContent()) }.joined(separator: " ")
        let all = ItemText.normalise(node.textContent { lists.contains($0.name) })
        return !inside.isEmpty && inside.count >= all.count
    }

    /// A leading `[ ]` / `[x]` / ☐ / ☑ / ✓ marker: the rest of the text and whether it says done.
    static func stripMarker(_ text: String) -> (text: String, done: Bool?) {
        let start = text.unicodeScalars.first { $0.value > 0x20 }
        guard let start, start == "[" || start.value > 0x2000 else { return (text, nil) }
        let trimmed = ItemText.normalise(text)
        for (marker, done) in [("[ ]", false), ("[x]", true), ("[X]", true), ("☐", false), ("⬜", false), ("☑", true), ("✅", true), ("✔", true), ("✓", true)] where trimmed.hasPrefix(marker) {
            return (String(trimmed.dropFirst(marker.count)), done)
        }
        return (trimmed, nil)
    }

    // MARK: Sections: tables with a status column, lists under a todo heading

    private func collectSections(in scope: HTMLNode) -> [TodoItem] {
        var items: [TodoItem] = []
        var heading: String?
        var stack = [scope]
        while let node = stack.popLast() {
            if HTMLNode.headings.contains(node.name) {
                heading = node.textContent()
                continue
            }
            if node.name == "table", let rows = TableExtractor(table: node).items() {
                items += rows
                continue
            }
            if Self.lists.contains(node.name) {
                let listed = listItems(node)
                let marked = node.elements.filter { $0.name == "li" }.contains { Self.stripMarker($0.textContent { Self.lists.contains($0.name) }).done != nil }
                if heading.map(Self.looksLikeTodo) == true || marked { items += listed }
                continue
            }
            stack.append(contentsOf: node.elements.reversed())
        }
        return items
    }

    /// The items of a list, nested lists as children.
    private func listItems(_ list: HTMLNode) -> [TodoItem] {
        list.elements.filter { $0.name == "li" }.compactMap { item in
            let marker = Self.stripMarker(item.textContent { Self.lists.contains($0.name) })
            let children = item.elements.filter { Self.lists.contains($0.name) }.flatMap(listItems)
            let done = marker.done ?? (Self.isStruck(item) || Self.markedDone(item))
            return ItemText.item(marker.text, done: done, children: children)
        }
    }

    static func outermostLists(in node: HTMLNode) -> [HTMLNode] {
        if lists.contains(node.name) { return [node] }
        return node.elements.flatMap(outermostLists)
    }

    private static let todoHeading = try! NSRegularExpression(
        pattern: #"\b(to-?\s?dos?|tasks?|checklist|action items?|next steps|backlog|open items|open issues)\b"#,
        options: [.caseInsensitive]
    )

    static func looksLikeTodo(_ heading: String) -> Bool {
        todoHeading.firstMatch(in: heading, range: NSRange(heading.startIndex..., in: heading)) != nil
    }
}
