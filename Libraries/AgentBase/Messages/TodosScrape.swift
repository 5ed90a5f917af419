/// `todos.scrape`: fetch a todo page, extract its items, and export them as Markdown or JSON.
public struct TodosScrapeRequest: AgentMessage, Hashable {
    public typealias Result = TodosScrapeResult
    public static let type = "todos.scrape"

    /// The page to fetch (http or https).
    public var url: String
    /// Export format; defaults to `markdown` when absent.
    public var format: Format
    /// CSS selector narrowing the part of the page that holds the list.
    public var selector: String?
    /// Commit the export (Markdown or JSON, as `format` says) to a file in a git repository.
    public var export: TodoExportTarget?

    enum CodingKeys: String, CodingKey {
        case url
        case format
        case selector
        case export
    }

    public init(url: String, format: Format = .markdown, selector: String? = nil, export: TodoExportTarget? = nil) {
        self.url = url
        self.format = format
        self.selector = selector
        self.export = export
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        url = try container.decode(String.self, forKey: .url)
        format = try container.decodeIfPresent(Format.self, forKey: .format) ?? .markdown
        selector = try container.decodeIfPresent(String.self, forKey: .selector)
        export = try container.decodeIfPresent(TodoExportTarget.self, forKey: .export)
    }

    /// Export format of `todos.scrape`: `markdown` (items plus a Markdown checklist) or `json` (items only).
    public enum Format: String, Codable, Sendable, Hashable, CaseIterable {
        case markdown
        case json
    }
}

/// The result of `todos.scrape`: where and when the page was fetched, its items, and the Markdown export.
public struct TodosScrapeResult: Codable, Sendable, Hashable {
    /// The URL finally fetched (after redirects).
    public var sourceURL: String
    /// When the page was fetched, ISO-8601 (e.g. `2025-01-31T09:30:00Z`).
    public var fetchedAt: String
    /// The todo items in page order.
    public var items: [TodoItem]
    /// A Markdown checklist of the items, when the format is `markdown`.
    public var markdown: String?
    /// What changed since the conversation's last scrape of the same URL (absent on the first scrape).
    public var changes: TodoChanges?
    /// The commit of the export, when the request asked for one.
    public var export: TodoExportResult?

    enum CodingKeys: String, CodingKey {
        case sourceURL = "source_url"
        case fetchedAt = "fetched_at"
        case items
        case markdown
        case changes
        case export
    }

    public init(sourceURL: String, fetchedAt: String, items: [TodoItem], markdown: String? = nil, changes: TodoChanges? = nil, export: TodoExportResult? = nil) {
        self.sourceURL = sourceURL
        self.fetchedAt = fetchedAt
        self.items = items
        self.markdown = markdown
        self.changes = changes
        self.export = export
    }
}

/// Where `todos.scrape` commits its export: a file in a git repository, on a branch (default: the default branch).
public struct TodoExportTarget: Codable, Sendable, Hashable {
    public var repoURL: String
    /// Path of the file inside the repository.
    public var path: String
    /// Branch to commit on; created from the default branch when missing.
    public var branch: String?

    enum CodingKeys: String, CodingKey {
        case repoURL = "repo_url"
        case path
        case branch
    }

    public init(repoURL: String, path: String, branch: String? = nil) {
        self.repoURL = repoURL
        self.path = path
        self.branch = branch
    }
}

/// The export's commit: where it went and whether the file changed (an unchanged file makes no commit).
public struct TodoExportResult: Codable, Sendable, Hashable {
    public var repoURL: String
    public var path: String
    public var branch: String
    /// The branch's commit after the export.
    public var commit: String
    public var changed: Bool

    enum CodingKeys: String, CodingKey {
        case repoURL = "repo_url"
        case path
        case branch
        case commit
        case changed
    }

    public init(repoURL: String, path: String, branch: String, commit: String, changed: Bool) {
        self.repoURL = repoURL
        self.path = path
        self.branch = branch
        self.commit = commit
        self.changed = changed
    }
}

/// The difference between two scrapes of one page: item texts added, checked off, unchecked and gone.
public struct TodoChanges: Codable, Sendable, Hashable {
    /// When the earlier scrape was fetched, ISO-8601.
    public var since: String
    public var added: [String]
    public var completed: [String]
    public var reopened: [String]
    public var removed: [String]

    public init(since: String, added: [String] = [], completed: [String] = [], reopened: [String] = [], removed: [String] = []) {
        self.since = since
        self.added = added
        self.completed = completed
        self.reopened = reopened
        self.removed = removed
    }

    /// True when nothing changed.
    public var isEmpty: Bool { added.isEmpty && completed.isEmpty && reopened.isEmpty && removed.isEmpty }
}

/// One item scraped from a todo page.
public struct TodoItem: Codable, Sendable, Hashable {
    /// The item's text, whitespace-normalised.
    public var text: String
    /// Whether the item is checked off.
    public var done: Bool
    /// Due date as an ISO-8601 date or date-time, when the page gives one.
    public var due: String?
    /// Tags or labels attached to the item.
    public var tags: [String]?
    /// Items nested under this one, in page order.
    public var children: [TodoItem]?

    enum CodingKeys: String, CodingKey {
        case text
        case done
        case due
        case tags
        case children
    }

    public init(text: String, done: Bool, due: String? = nil, tags: [String]? = nil, children: [TodoItem]? = nil) {
        self.text = text
        self.done = done
        self.due = due
        self.tags = tags
        self.children = children
    }
}
