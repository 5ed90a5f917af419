import AgentBase
import Foundation

/// Finds todo items in JSON: the first array of objects that carry a title (`title`, `text`, `name`, `content`,
/// …), looked for at the top, under well-known keys (`items`, `todos`, `tasks`, …) or at the selector's dotted
/// path; `done`/`completed`/`checked` booleans or a `status`/`state` word say done; `due` and `tags`/`labels`
/// fill those fields; `children`/`subtasks`/`checkItems` nest.
struct JSONExtractor {
    let value: JSONValue

    init(text: String) throws(ScrapeError) {
        do {
            value = try JSONValue(parsing: text)
        } catch {
            throw .unsupportedContent(url: "the page", contentType: "JSON that does not parse")
        }
    }

    func items(path: String? = nil) throws(ScrapeError) -> [TodoItem] {
        var scope = value
        if let path {
            for key in path.split(separator: ".") {
                if let index = Int(key), let element = scope[index] {
                    scope = element
                } else if let member = scope[String(key)] {
                    scope = member
                } else {
                    throw .invalidSelector(path, reason: "the JSON has no '\(key)' there")
                }
            }
        }
        return Self.taskArray(in: scope).map(Self.items) ?? []
    }

    private static let containerKeys = ["items", "todos", "tasks", "data", "results", "entries", "list", "cards", "checklists", "checkItems", "records"]
    private static let titleKeys = ["title", "text", "name", "content", "task", "summary", "description", "label"]
    private static let childKeys = ["children", "subtasks", "sub_tasks", "subitems", "checkItems", "items", "tasks"]

    /// The first array of task-like objects, breadth first, well-known keys before the rest (sorted).
    private static func taskArray(in value: JSONValue) -> [JSONValue]? {
        var queue: [JSONValue] = [value]
        while !queue.isEmpty {
            let current = queue.removeFirst()
            switch current {
            case .array(let elements):
                if elements.contains(where: { title(of: $0) != nil }) { return elements }
                queue += elements
            case .object(let members):
                let known = containerKeys.compactMap { members[$0] }
                let rest = members.keys.sorted().filter { !containerKeys.contains($0) }.compactMap { members[$0] }
                queue += known + rest
            default:
                continue
            }
        }
        return nil
    }

    private static func items(_ elements: [JSONValue]) -> [TodoItem] {
        elements.compactMap { element in
            guard let text = title(of: element) else { return nil }
            let children = childKeys.lazy.compactMap { key -> [JSONValue]? in
                if case .array(let nested)? = element[key] { return nested }
                return nil
            }.first.map(items) ?? []
            return ItemText.item(text, done: done(element), due: due(element), tags: tags(element), children: children)
        }
    }

    private static func title(of element: JSONValue) -> String? {
        guard case .object = element else { return nil }
        return titleKeys.lazy.compactMap { element[$0]?.stringValue }.first { !$0.isEmpty }
    }

    private static func done(_ element: JSONValue) -> Bool {
        for key in ["done", "completed", "complete", "checked", "is_completed", "isCompleted", "is_done", "closed", "resolved"] {
            if let flag = element[key]?.boolValue { return flag }
            if let number = element[key]?.intValue { return number != 0 }
        }
        for key in ["status", "state"] {
            if let word = element[key]?.stringValue?.lowercased() { return TableExtractor.doneWords.contains(word) }
        }
        return element["completed_at"]?.stringValue != nil || element["dateCompleted"]?.stringValue != nil
    }

    private static func due(_ element: JSONValue) -> String? {
        for key in ["due", "due_date", "dueDate", "deadline", "due_on", "dueOn"] {
            if let text = element[key]?.stringValue { return text }
            if let text = element[key]?["date"]?.stringValue { return text }
        }
        return nil
    }

    private static func tags(_ element: JSONValue) -> [String] {
        for key in ["tags", "labels"] {
            guard case .array(let values)? = element[key] else { continue }
            return values.compactMap { $0.stringValue ?? $0["name"]?.stringValue }
        }
        return []
    }
}
