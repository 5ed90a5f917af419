import AgentBase
import Gateway

/// `gateway`: the HTTP front of Switchboard. Configuration comes from the environment.
@main
struct GatewayMain {
    static func main() async throws {
        try await ServiceMain.run(GatewayService.self)
    }
}
