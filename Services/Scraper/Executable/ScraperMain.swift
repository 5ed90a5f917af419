import AgentBase
import Logging
import Scraper

/// `scraper`: the todo-page scraper agent. Configuration comes from the environment.
@main
struct ScraperMain {
    static func main() async throws {
        try await ServiceMain.run("scraper") { environment in
            let agent = ScraperAgent(configuration: try ScraperConfiguration(environment: environment), keys: environment.keys, logger: Logger(label: "switchboard.scraper"))
            try await AgentApplication(agent: "scraper", environment: environment) { agent.register(&$0) }.runService()
        }
    }
}
