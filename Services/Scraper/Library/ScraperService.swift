import AgentBase
import Foundation
import GitKit
import Logging

/// The scraper agent: fetch a todo page safely, extract its items, export them, and report changes since the
/// conversation's last scrape of the same URL.
public struct ScraperService: SwitchboardService, Sendable {
    public static let name = "scraper"

    public let fetcher: PageFetcher
    private let memory: ScrapeMemory
    private let export: RepositoryExport?

    /// `git` is needed only for requests with `export`; without it they fail saying so.
    public init(configuration: ScraperConfiguration, keys: KeySpace, logger: Logger, git: GitServices? = nil) {
        self.fetcher = PageFetcher(configuration: configuration, logger: logger)
        self.memory = ScrapeMemory(keys: keys, ttl: configuration.memoryTTL)
        self.export = git.map(RepositoryExport.init)
    }

    /// The application the `scraper` executable runs: fetching from `SCRAPER_*`, exports through the git workspace
    /// (`WORKSPACE_DIR`, `GIT_*`); it uses no model.
    public static func application(environment: SwitchboardEnvironment, model: any LanguageModel, logger: Logger) throws -> AgentApplication {
        let git = try GitServices(environment: environment, agent: name, logger: logger)
        let scraper = ScraperService(configuration: try ScraperConfiguration(environment: environment), keys: environment.keys, logger: logger, git: git)
        return try AgentApplication(agent: name, environment: environment, logger: logger) { scraper.register(&$0) }
    }

    /// Registers the `todos.scrape` handler.
    public func register(_ handlers: inout AgentHandlers) {
        handlers.on(TodosScrapeRequest.self) { request, context in
            do {
                return try await GitFailure.readable { try await scrape(request, context: context) }
            } catch let error as ScrapeError {
                throw error.agentError
            }
        }
    }

    /// Runs one scrape; `ScrapeError`s say what went wrong in the user's terms.
    public func scrape(_ request: TodosScrapeRequest, context: TaskContext) async throws -> TodosScrapeResult {
        await context.progress("fetching \(request.url)", percent: 10)
        let page = try await fetcher.fetch(request.url) { note in await context.progress(note) }
        await context.progress("fetched \(page.body.count / 1024) KiB, extracting items", percent: 60)
        let items = try Self.items(of: page, selector: request.selector)
        let fetchedAt = ISO8601.string(Date())
        var result = TodosScrapeResult(sourceURL: page.url.absoluteString, fetchedAt: fetchedAt, items: items)
        if request.format == .markdown { result.markdown = MarkdownExport.render(items) }
        let conversation = context.envelope.conversation
        if let conversation, let previous = try await memory.previous(conversation: conversation, url: request.url, redis: context.bus.redis) {
            result.changes = ChangeReport.changes(from: previous.items, to: items, since: previous.fetchedAt)
        }
        if let target = request.export {
            guard let export else { throw AgentError.permanent("this scraper has no git workspace for export (WORKSPACE_DIR)", code: "export_unavailable") }
            let content = try result.markdown ?? MarkdownExport.json(items)
            result.export = try await export.commit(content, to: target, source: request.url, context: context)
        }
        // Remembered last: a retry after a failed export still reports the changes since the scrape before.
        if let conversation {
            try await memory.remember(.init(url: request.url, fetchedAt: fetchedAt, items: items), conversation: conversation, redis: context.bus.redis)
        }
        await context.progress("\(ChangeReport.flatten(items).count) items", percent: 100)
        return result
    }

    /// Decodes and extracts the items of a fetched page; no items at all is an error that says what was expected.
    public static func items(of page: FetchedPage, selector: String?) throws(ScrapeError) -> [TodoItem] {
        let text = TextDecoding.decode(page.body, charset: page.charset, sniffMeta: page.mediaType.contains("html") || page.mediaType.isEmpty)
        guard let kind = TodoExtractor.kind(mediaType: page.mediaType, text: text) else {
            throw .unsupportedContent(url: page.url.absoluteString, contentType: page.mediaType)
        }
        let items = try TodoExtractor.items(text: text, kind: kind, selector: selector)
        guard !items.isEmpty else { throw .noItems(url: page.url.absoluteString) }
        return items
    }
}
