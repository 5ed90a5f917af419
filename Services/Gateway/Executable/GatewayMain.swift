import AgentBase
import Foundation
import Gateway

/// `gateway`: the HTTP front of Switchboard. Configuration comes from the environment.
@main
struct GatewayMain {
    static func main() async throws {
        let environment = SwitchboardEnvironment()
        Observability.bootstrap(environment)
        do {
            try await GatewayApplication(environment: environment).runService()
        } catch let error as RegistryError {
            FileHandle.standardError.write(Data("gateway: invalid registry: \(error)\n".utf8))
            exit(1)
        } catch let error as ConfigurationError {
            FileHandle.standardError.write(Data("gateway: \(error)\n".utf8))
            exit(1)
        }
    }
}
