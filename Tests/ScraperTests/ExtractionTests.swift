import AgentBase
import Foundation
@testable import Scraper
import Testing

/// Each fixture page (a real-world shape) gives exactly the expected items.
struct ExtractionTests {
    @Test("GitHub issue task list: checkboxes, nesting, entities, due date, tags, issue references kept")
    func githubIssue() throws {
        #expect(try Fixtures.items("github-issue.html") == [
            todo("Tag v1.2.0 & publish notes", true, due: "2026-12-01", tags: ["release"]),
            todo("Update the docs site", tags: ["docs-team"], children: [todo("API reference"), todo("Changelog", true)]),
            todo("Fix #12 before the freeze"),
        ])
    }

    @Test("plain HTML list under a To-do heading: struck-through and ✓ items are done; other lists ignored")
    func plainList() throws {
        #expect(try Fixtures.items("plain-list.html") == [
            todo("Buy oat milk", due: "2026-11-28", tags: ["shopping"]),
            todo("Call the plumber", true),
            todo("Fix the bike", children: [todo("Buy an inner tube"), todo("Find the pump", true)]),
            todo("Water the plants", true),
        ])
    }

    @Test("table with a status column: status words and checkboxes, due and label columns")
    func table() throws {
        #expect(try Fixtures.items("table.html") == [
            todo("Migrate the billing database", true, due: "2026-11-20", tags: ["backend", "db"]),
            todo("Write the incident runbook", due: "2026-12-05", tags: ["ops"]),
            todo("Rotate staging credentials", true),
        ])
    }

    @Test("Trello-style checklist: item classes, state class, <time> as due")
    func trello() throws {
        #expect(try Fixtures.items("trello.html") == [
            todo("Book the venue", true),
            todo("Print badges", due: "2026-12-10"),
        ])
    }

    @Test("Todoist-style export: completed class, tag elements, sub-items")
    func todoist() throws {
        #expect(try Fixtures.items("todoist.html") == [
            todo("Renew passport", tags: ["errands"]),
            todo("Pay council tax", true),
            todo("Plan trip", children: [todo("Choose dates", true)]),
        ])
    }

    @Test("Markdown checklist: bullets and numbers, nesting by indent, inline markup reduced to text")
    func markdown() throws {
        #expect(try Fixtures.items("todo.md") == [
            todo("Clean the gutters", due: "2026-12-01"),
            todo("Order firewood", true, tags: ["winter"], children: [todo("Compare prices", true), todo("Clear the shed")]),
            todo("Call Sam about the roof", tags: ["phone"]),
            todo("Fix the fence", true),
        ])
    }

    @Test("Markdown without checkboxes: bullets under a todo heading, ~~struck~~ is done")
    func markdownSection() throws {
        let text = "# Notes\n- not a task\n\n## TODO\n- Write the report\n- ~~Send invoices~~\n  - Check VAT\n\n## Ideas\n- A boat\n"
        let page = FetchedPage(url: URL(string: "https://todo.example.com/notes.txt")!, mediaType: "text/plain", body: Array(text.utf8))
        #expect(try ScraperService.items(of: page, selector: nil) == [
            todo("Write the report"),
            todo("Send invoices", true, children: [todo("Check VAT")]),
        ])
    }

    @Test("JSON feed: nested container, title/name/text keys, completed/status/state, due objects, label objects, subtasks")
    func json() throws {
        let expected = [
            todo("Redesign the landing page", due: "2026-12-15", tags: ["design"], children: [todo("Draft wireframes", true), todo("Pick fonts")]),
            todo("Set up analytics", true, tags: ["data"]),
            todo("Fix the contact form", due: "2026-11-30"),
        ]
        #expect(try Fixtures.items("todos.json") == expected)
        #expect(try Fixtures.items("todos.json", selector: "data.tasks") == expected)
        #expect(throws: ScrapeError.invalidSelector("data.cards", reason: "the JSON has no 'cards' there")) { try Fixtures.items("todos.json", selector: "data.cards") }
    }

    @Test("broken HTML still parses: unclosed items and tags, stray end tags, unknown entities")
    func broken() throws {
        #expect(try Fixtures.items("broken.html") == [
            todo("Ship it", true),
            todo("Write tests"),
            todo("Celebrate"),
        ])
    }

    @Test("CSS and XPath selectors pick one list; a plain list becomes items when selected")
    func selectors() throws {
        let second = [todo("New work"), todo("Started early", true)]
        #expect(try Fixtures.items("sprints.html", selector: "#sprint-2 .contains-task-list") == second)
        #expect(try Fixtures.items("sprints.html", selector: "div#sprint-2 > ul") == second)
        #expect(try Fixtures.items("sprints.html", selector: "//div[@id='sprint-2']") == second)
        #expect(try Fixtures.items("sprints.html", selector: "#notes") == [todo("Remember the retro"), todo("Order pizza")])
        #expect(try Fixtures.items("sprints.html").count == 3)
        #expect(throws: ScrapeError.self) { try Fixtures.items("sprints.html", selector: "ul:hover") }
        #expect(throws: ScrapeError.self) { try Fixtures.items("sprints.html", selector: "//div[") }
    }

    @Test("a page with no todo list is an error that says what was expected")
    func noItems() {
        let page = FetchedPage(url: URL(string: "https://todo.example.com/about")!, mediaType: "text/html", body: Array("<html><body><h1>About us</h1><p>We make widgets.</p><ul><li>Home</li></ul></body></html>".utf8))
        #expect(throws: ScrapeError.noItems(url: "https://todo.example.com/about")) { try ScraperService.items(of: page, selector: nil) }
    }

    @Test("Latin-1 pages decode from the header charset or from <meta>")
    func latin1() throws {
        let html = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\"></head><body><h2>Tâches (to-do)</h2><ul><li>Acheter du café</li><li>Réserver l’hôtel à Zürich</li></ul></body></html>"
        let bytes = Array(html.data(using: .windowsCP1252)!)
        #expect(!bytes.contains(0xC3))  // really Latin-1, not UTF-8
        let expected = [todo("Acheter du café"), todo("Réserver l’hôtel à Zürich")]
        let url = URL(string: "https://todo.example.com/fr")!
        #expect(try ScraperService.items(of: FetchedPage(url: url, mediaType: "text/html", charset: "iso-8859-1", body: bytes), selector: nil) == expected)
        #expect(try ScraperService.items(of: FetchedPage(url: url, mediaType: "text/html", body: bytes), selector: nil) == expected)
    }

    @Test("Markdown export keeps nesting, due dates and tags; every item appears once")
    func markdownExport() throws {
        let items = try Fixtures.items("github-issue.html")
        #expect(MarkdownExport.render(items) == """
            - [x] Tag v1.2.0 & publish notes (due 2026-12-01) #release
            - [ ] Update the docs site #docs-team
              - [ ] API reference
              - [x] Changelog
            - [ ] Fix #12 before the freeze

            """)
    }

    @Test("1,000-item page: every item, nesting-free, in order")
    func bigList() throws {
        let page = FetchedPage(url: URL(string: "https://todo.example.com/big")!, mediaType: "text/html", body: Array(Fixtures.bigList(1000).utf8))
        let items = try ScraperService.items(of: page, selector: nil)
        #expect(items.count == 1000)
        #expect(items[3] == todo("Item 3 with some text", true, tags: ["tag3"]))
        #expect(items.filter(\.done).count == 334)
    }
}
