import AgentBase
import GitKit
import Logging
import Scraper

/// `scraper`: the todo-page scraper agent. Configuration comes from the environment.
@main
struct ScraperMain {
    static func main() async throws {
        try await ServiceMain.run("scraper") { environment in
            let logger = Logger(label: "switchboard.scraper")
            let git = try GitServices(environment: environment, agent: "scraper", logger: logger)
            let agent = ScraperAgent(configuration: try ScraperConfiguration(environment: environment), keys: environment.keys, logger: logger, git: git)
            try await AgentApplication(agent: "scraper", environment: environment) { agent.register(&$0) }.runService()
        }
    }
}
