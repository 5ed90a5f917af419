import AgentBase
import Foundation
@testable import Scraper

/// The fixture pages of these tests, read from `Tests/ScraperTests/Fixtures`.
enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    static func mediaType(_ name: String) -> String {
        switch URL(fileURLWithPath: name).pathExtension {
        case "html": return "text/html"
        case "md": return "text/markdown"
        case "json": return "application/json"
        default: return "text/plain"
        }
    }

    /// The items the scraper extracts from a fixture, as if fetched with its media type.
    static func items(_ name: String, selector: String? = nil) throws -> [TodoItem] {
        let page = FetchedPage(url: URL(string: "https://todo.example.com/\(name)")!, mediaType: mediaType(name), body: try bytes(name))
        return try ScraperService.items(of: page, selector: selector)
    }

    /// A list page of `count` checkbox items, every third one done.
    static func bigList(_ count: Int) -> String {
        var html = "<html><body><h1>Backlog</h1><ul class=\"contains-task-list\">"
        for index in 0..<count {
            html += "<li class=\"task-list-item\"><input type=\"checkbox\"\(index % 3 == 0 ? " checked" : "")> Item \(index) with <b>some</b> text #tag\(index % 5)</li>\n"
        }
        return html + "</ul></body></html>"
    }
}

/// Shorthand for expected items.
func todo(_ text: String, _ done: Bool = false, due: String? = nil, tags: [String]? = nil, children: [TodoItem]? = nil) -> TodoItem {
    TodoItem(text: text, done: done, due: due, tags: tags, children: children)
}
