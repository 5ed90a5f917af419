import AgentBase
import Scraper

/// `scraper`: the todo-page scraper agent. Configuration comes from the environment.
@main
struct ScraperMain {
    static func main() async throws {
        try await ServiceMain.run(ScraperService.self)
    }
}
